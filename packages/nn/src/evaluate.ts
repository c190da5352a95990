import type { Shape } from "@quantkit/tensor";
import { _batchShape, type Batch } from "./batch";
import { CrossEntropyLoss } from "./crossEntropyLoss";
import type { Module } from "./module";

/**
 * The index of the largest value of each row of `[N, C]` scores (the first one on ties): float
 * logits, or the uint8 codes of a quantized model's output (dequantization is monotone, so their
 * argmax is the float output's).
 *
 * @example
 * argmax(new Float32Array([0.1, 0.7, 0.2, 3, 1, 2]), [2, 3]) // Int32Array [1, 0]
 * argmax(new Uint8Array([3, 9, 9, 0]), [2, 2])                // Int32Array [1, 0]
 */
export function argmax(scores: Float32Array | Uint8Array | Int8Array, shape: Shape): Int32Array {
  const c = shape[shape.length - 1];
  if (c === undefined || c === 0 || scores.length % c !== 0) {
    throw new RangeError(`argmax: shape [${shape.join(", ")}] does not fit ${scores.length} values`);
  }
  const out = new Int32Array(scores.length / c);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (Number.isNaN(v)) {
      throw new RangeError(
        `argmax: scores[${i}] (row ${Math.floor(i / c)}) is NaN: there is no largest score; check the input and the model for NaN/Infinity`,
      );
    }
  }
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores[r * c + j]! > scores[r * c + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/** Runs `fn` with the model in eval mode, restoring each module's mode afterwards. */
function inEvalMode<T>(model: Module, fn: () => T): T {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    return fn();
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/**
 * The predicted class of every input: the argmax of the model's output, computed in eval mode (the
 * modes are restored afterwards).
 *
 * @example
 * predict(model, x, [10, 784]) // Int32Array of 10 classes
 */
export function predict(model: Module, x: Float32Array, shape: Shape): Int32Array {
  if (x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v - v !== 0) throw new RangeError(`predict: x[${i}] is ${v}; inputs must be finite`);
    }
  }
  return inEvalMode(model, () => {
    const out = model.call(x, shape);
    return argmax(out.data, out.shape);
  });
}

/** What {@link evaluate} measures. */
export interface Evaluation {
  /** correct / count, in [0, 1]. */
  accuracy: number;
  /** The mean softmax cross-entropy over all samples. */
  loss: number;
  correct: number;
  count: number;
}

/**
 * Accuracy and mean cross-entropy of a classifier over batches, in eval mode (the modes are restored
 * afterwards). Larger batches run faster; the result does not depend on the batch size.
 *
 * @example
 * const { accuracy, loss } = evaluate(model, batches(test, { batchSize: 1000 }));
 */
export function evaluate(model: Module, batches: Iterable<Batch>): Evaluation {
  return inEvalMode(model, () => {
    const lossFn = new CrossEntropyLoss({ reduction: "sum" });
    let correct = 0;
    let count = 0;
    let loss = 0;
    for (const batch of batches) {
      const out = model.call(batch.x, _batchShape(batch));
      loss += lossFn.forward(out.data, out.shape, batch.y);
      const pred = argmax(out.data, out.shape);
      for (let i = 0; i < pred.length; i++) if (pred[i] === batch.y[i]) correct++;
      count += pred.length;
    }
    if (count === 0) throw new RangeError("evaluate: the batches hold no samples");
    return { accuracy: correct / count, loss: loss / count, correct, count };
  });
}

/**
 * The fraction of correctly classified samples: `evaluate(model, batches).accuracy`.
 *
 * @example
 * accuracy(model, batches(test, { batchSize: 1000 })) // 0.92…
 */
export function accuracy(model: Module, batches: Iterable<Batch>): number {
  return evaluate(model, batches).accuracy;
}
