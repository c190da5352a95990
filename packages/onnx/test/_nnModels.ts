// Models of @quantkit/nn trained on the bundled MNIST digits (seeded, a second or two) and quantized by
// @quantkit/ptq / @quantkit/qat, for the tests of the "@quantkit/onnx/nn" bridge.
import {
  Adam,
  argmax,
  BatchNorm2d,
  Conv2d,
  Flatten,
  fit,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from "@quantkit/nn";
import { calibrate, convert, prepare, type QConfig, type QuantizedModel } from "@quantkit/ptq";
import { disableObserver, prepareQat } from "@quantkit/qat";
import { Rng } from "@quantkit/tensor";
import { batchesOf, mnistSlice } from "../../ptq/test/_fixtures";
import type { InferenceSession } from "../src/index";

/** Batches over flat arrays (views): ptq's test fixture. */
export { batchesOf };

/** A seeded slice of the bundled MNIST (normalised as the seed does): ptq's test fixture. */
export const mnist = (train: number, test: number) => mnistSlice(train, test);

/** A small CNN with Conv-BN-ReLU, MaxPool, Conv-ReLU, MaxPool (ceil mode), an unfused ReLU, Flatten, Linear. */
export function smallCnn(seed = 0): Sequential {
  const rng = new Rng(seed);
  return new Sequential([
    ["conv1", new Conv2d(1, 4, 3, { padding: 1, rng })],
    ["bn1", new BatchNorm2d(4)],
    ["relu1", new ReLU()],
    ["pool1", new MaxPool2d(2)],
    ["conv2", new Conv2d(4, 8, 3, { rng })],
    ["pool2", new MaxPool2d(2, { ceilMode: true })],
    ["relu2", new ReLU()],
    ["flatten", new Flatten()],
    ["fc", new Linear(8 * 6 * 6, 10, { rng })],
  ]);
}

/** Trains `model` on the training digits (Adam, seeded order) and sets eval mode. */
export async function train(
  model: Module,
  data: Awaited<ReturnType<typeof mnist>>,
  shape: number[],
  epochs = 1,
) {
  const loader = batchesOf(data.train.images, data.train.labels, shape, 20);
  await fit(model, loader, { optimizer: new Adam(model.parameters(), { lr: 2e-3 }), epochs });
  model.eval();
  return model;
}

/** PTQ: prepare -> calibrate on the first 500 samples of `x` ([n, ...shape]) -> convert. */
export async function ptq(model: Module, qconfig: QConfig, x: Float32Array, shape: number[]) {
  const p = prepare(model, qconfig);
  const n = x.length / shape.reduce((a, b) => a * b, 1);
  await calibrate(p, batchesOf(x, new Uint8Array(n), shape, 100), { maxBatches: 5 });
  return convert(p);
}

/** QAT from the float weights: prepareQat -> one epoch of fine-tuning -> freeze the ranges -> convert. */
export async function qat(model: Module, data: Awaited<ReturnType<typeof mnist>>, shape: number[]) {
  const prepared = prepareQat(model);
  const loader = batchesOf(data.train.images, data.train.labels, shape, 20);
  await fit(prepared, loader, { optimizer: new Adam(prepared.parameters(), { lr: 2e-4 }), epochs: 1 });
  disableObserver(prepared);
  prepared.eval();
  return convert(prepared, { inputShape: shape });
}

/** argmax of every row of [n, classes] logits (first on ties): nn's `argmax`. */
export function argmaxRows(y: Float32Array, classes: number): Int32Array {
  return argmax(y, [y.length / classes, classes]);
}

/** The float32 logits a session gives for `x` as [n, ...perSample] (one input, one output). */
export async function runSession(session: InferenceSession, x: Float32Array, perSample: readonly number[]) {
  const n = x.length / perSample.reduce((a, b) => a * b, 1);
  const r = await session.run({
    [session.inputNames[0]!]: { type: "float32", data: x, dims: [n, ...perSample] },
  });
  return Object.values(r)[0]!.data as Float32Array;
}

/** How the session's logits compare with the integer model's: argmax agreement, logit differences in output steps. */
export function compare(q: QuantizedModel, x: Float32Array, logits: Float32Array) {
  const n = x.length / q.inputSize;
  const ours = q.forward(x, n).data;
  const a = argmaxRows(ours, q.outputSize);
  const b = argmaxRows(logits, q.outputSize);
  let agree = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) agree++;
  let maxSteps = 0;
  let differing = 0;
  for (let i = 0; i < ours.length; i++) {
    const steps = Math.abs(ours[i]! - logits[i]!) / q.output.scale;
    maxSteps = Math.max(maxSteps, steps);
    if (steps > 1e-3) differing++;
  }
  return { n, agreement: agree / n, argmaxDiffer: n - agree, maxSteps, differing, logits: ours.length };
}
