import { assertOptions } from "@quantkit/tensor";
import { _batchShape, type Batch } from "./batch";
import { CrossEntropyLoss } from "./crossEntropyLoss";
import type { Module } from "./module";
import type { Optimizer } from "./optimizer";

/** Progress reported after every training step. */
export interface FitProgress {
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Batches an epoch, when the batches say (`length`). */
  batchesPerEpoch: number | undefined;
  /** Steps taken so far, all epochs. */
  step: number;
  /** This batch's loss. */
  loss: number;
  /** Samples seen this epoch. */
  samples: number;
}

/** Reported after every completed epoch. */
export interface EpochSummary {
  epoch: number;
  /** Mean loss over the epoch's samples. */
  loss: number;
  samples: number;
  /** Wall time of the epoch in milliseconds. */
  ms: number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  optimizer: Optimizer;
  /** Default 1. */
  epochs?: number;
  /** Default a mean softmax cross-entropy. */
  loss?: CrossEntropyLoss;
  onBatch?: (progress: FitProgress) => void;
  onEpoch?: (summary: EpochSummary) => void;
  /** Stops training between two steps; `fit` then resolves with `aborted: true`. */
  signal?: AbortSignal;
  /**
   * How often (ms) to yield to the event loop, so that an abort, a progress bar or a Web Worker's
   * messages are handled during a long epoch. Default 50.
   */
  yieldEveryMs?: number;
}

/** What {@link fit} resolves to. */
export interface FitResult {
  /** Epochs completed. */
  epochs: EpochSummary[];
  /** Steps taken. */
  steps: number;
  /** True when `signal` stopped training early (the model keeps the steps taken). */
  aborted: boolean;
}

/** Batches for an epoch: an iterable iterated once per epoch (like a DataLoader) or a function of the epoch. */
export type FitBatches = Iterable<Batch> | ((epoch: number) => Iterable<Batch>);

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * A training loop: for every epoch and batch, zero the gradients, forward, loss, backward, step.
 * The model is put in training mode. It yields to the event loop every `yieldEveryMs`, reports
 * progress through `onBatch` / `onEpoch`, and stops between steps when `signal` aborts (resolving
 * with `aborted: true` rather than throwing, so the partly trained model can still be used). A
 * non-finite loss throws a RangeError naming the epoch and batch.
 *
 * @example
 * const model = createMlp([784, 100, 100, 10], { seed: 0 });
 * const loader = batches(train, { batchSize: 10, shuffle: true, seed: 0 });
 * const result = await fit(model, loader, {
 *   optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
 *   onBatch: ({ batch, loss }) => { if (batch % 100 === 0) console.log(batch, loss); },
 * });
 */
export async function fit(model: Module, batches: FitBatches, options: FitOptions): Promise<FitResult> {
  assertOptions(
    options,
    ["optimizer", "epochs", "loss", "onBatch", "onEpoch", "signal", "yieldEveryMs"],
    "fit options",
  );
  const { optimizer, signal } = options;
  if (optimizer === undefined || typeof optimizer.step !== "function") {
    throw new TypeError("fit: options.optimizer must be an optimizer (new Adam(model.parameters()), say)");
  }
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const lossFn = options.loss ?? new CrossEntropyLoss();
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  const result: FitResult = { epochs: [], steps: 0, aborted: false };
  model.train();
  let lastYield = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (signal?.aborted) {
      result.aborted = true;
      return result;
    }
    const iterable = typeof batches === "function" ? batches(epoch) : batches;
    const batchesPerEpoch = (iterable as { length?: unknown }).length;
    const start = performance.now();
    let samples = 0;
    let lossSum = 0;
    let b = 0;
    for (const batch of iterable) {
      if (signal?.aborted) {
        result.aborted = true;
        return result;
      }
      optimizer.zeroGrad();
      const out = model.call(batch.x, _batchShape(batch));
      const loss = lossFn.forward(out.data, out.shape, batch.y);
      if (!Number.isFinite(loss)) {
        throw new RangeError(
          `fit: the loss became ${loss} at epoch ${epoch}, batch ${b} (learning rate too high?)`,
        );
      }
      // The data needs no gradient: the first layer skips dLoss/dInput.
      model.backward(lossFn.backward(), false);
      optimizer.step();
      result.steps++;
      samples += batch.size;
      lossSum += loss * batch.size;
      options.onBatch?.({
        epoch,
        batch: b,
        batchesPerEpoch: typeof batchesPerEpoch === "number" ? batchesPerEpoch : undefined,
        step: result.steps,
        loss,
        samples,
      });
      b++;
      if (performance.now() - lastYield >= yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const summary: EpochSummary = {
      epoch,
      loss: samples > 0 ? lossSum / samples : Number.NaN,
      samples,
      ms: performance.now() - start,
    };
    result.epochs.push(summary);
    options.onEpoch?.(summary);
  }
  return result;
}
