import { loadBundledMnist, normalize, shuffleDataset, sliceDataset } from "@quantkit/datasets";
import {
  Adam,
  type Batch,
  BatchNorm2d,
  Conv2d,
  createMlp,
  Flatten,
  fit,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
} from "@quantkit/nn";
import { Rng } from "@quantkit/tensor";
import { calibrate, convert, defaultQConfig, prepare, type QConfig, type QuantizedModel } from "../src/index";

/** Batches over flat arrays (views), for calibration and evaluation. */
export function batchesOf(
  x: Float32Array,
  y: ArrayLike<number>,
  perSample: readonly number[],
  batchSize: number,
): Batch[] {
  const features = perSample.reduce((a, b) => a * b, 1);
  const n = x.length / features;
  const out: Batch[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    out.push({
      x: x.subarray(s * features, (s + size) * features),
      y: Array.from({ length: size }, (_, i) => y[s + i]!),
      size,
      shape: [size, ...perSample],
    });
  }
  return out;
}

/** A seeded slice of the bundled MNIST: `train` training and `test` test samples, normalised. */
export async function mnistSlice(train: number, test: number, seed = 0) {
  const split = await loadBundledMnist();
  return {
    train: sliceDataset(shuffleDataset(normalize(split.train), seed), 0, train),
    test: sliceDataset(shuffleDataset(normalize(split.test), seed), 0, test),
  };
}

let trained: Promise<{ model: Sequential; data: Awaited<ReturnType<typeof mnistSlice>> }> | undefined;

/**
 * A small MLP 784-32-16-10 trained two epochs on 2,000 bundled MNIST digits (seeded, about half a
 * second): the realistic model of the tests (85.6% on the 500 test digits).
 */
export function trainedMlp() {
  trained ??= (async () => {
    const data = await mnistSlice(2000, 500);
    const model = createMlp([784, 32, 16, 10], { seed: 0 });
    const loader = batchesOf(data.train.images, data.train.labels, [784], 10);
    await fit(model, loader, { optimizer: new Adam(model.parameters(), { lr: 2e-3 }), epochs: 2 });
    model.eval();
    return { model, data };
  })();
  return trained;
}

/** A small conv net with every fusion pattern: Conv-BN-ReLU, MaxPool, Conv-ReLU, Conv-BN, ReLU, Flatten, Linear-ReLU, Linear. */
export function convNet(seed = 0): Sequential {
  const rng = new Rng(seed);
  const bn1 = new BatchNorm2d(4);
  const bn3 = new BatchNorm2d(6);
  for (const bn of [bn1, bn3]) {
    rng.fillUniform(bn.runningMean!, -0.3, 0.3);
    rng.fillUniform(bn.runningVar!, 0.5, 2);
    rng.fillUniform(bn.weight!.data, 0.5, 1.5);
    rng.fillUniform(bn.bias!.data, -0.2, 0.2);
  }
  const model = new Sequential([
    ["conv1", new Conv2d(1, 4, 3, { padding: 1, rng })],
    ["bn1", bn1],
    ["relu1", new ReLU()],
    ["pool", new MaxPool2d(2)],
    ["conv2", new Conv2d(4, 6, 3, { rng, stride: 1 })],
    ["relu2", new ReLU()],
    ["conv3", new Conv2d(6, 6, 1, { rng })],
    ["bn3", bn3],
    ["relu3", new ReLU()],
    ["flatten", new Flatten()],
    ["fc1", new Linear(6 * 4 * 4, 12, { rng })],
    ["relu4", new ReLU()],
    ["fc2", new Linear(12, 5, { rng })],
  ]);
  model.eval();
  return model;
}

/** Uniform random float32 values, seeded. */
export function randomInput(n: number, seed: number, low = -1, high = 1): Float32Array {
  return new Rng(seed).fillUniform(new Float32Array(n), low, high);
}

/** A 20-12-6 MLP quantized with defaultQConfig, calibrated on 64 seeded random inputs. */
export function smallQuantizedMlp(): Promise<QuantizedModel> {
  return quantizedModel(createMlp([20, 12, 6], { seed: 2 }), defaultQConfig, [20]);
}

/** The trained MLP quantized with `qconfig` (calibrated on 500 training digits), and the test digits. */
export async function quantizedMlp(
  qconfig: QConfig,
): Promise<{ q: QuantizedModel; x: Float32Array; n: number; labels: ArrayLike<number> }> {
  const { model, data } = await trainedMlp();
  const p = prepare(model, qconfig);
  await calibrate(p, batchesOf(data.train.images, data.train.labels, [784], 100), { maxBatches: 5 });
  return { q: convert(p), x: data.test.images, n: data.test.count, labels: data.test.labels };
}

/** A model quantized with `qconfig` after calibration on 64 seeded random samples of `perSample`. */
export async function quantizedModel(
  model: Sequential,
  qconfig: QConfig,
  perSample: number[],
): Promise<QuantizedModel> {
  const p = prepare(model, qconfig);
  const features = perSample.reduce((a, b) => a * b, 1);
  await calibrate(p, batchesOf(randomInput(64 * features, 7, -0.5, 2.5), new Uint8Array(64), perSample, 16));
  return convert(p);
}
