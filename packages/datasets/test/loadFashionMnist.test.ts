import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist } from "../src/index";
import { imagesFile, labelsFile } from "./_idxFiles";

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

describe("loadFashionMnist(dir): any directory in Fashion-MNIST's file layout", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quantkit-fashion-"));
    // Fashion-MNIST's four gzip file names; 3 training and 2 test images of 2x2
    await writeFile(
      join(dir, "train-images-idx3-ubyte.gz"),
      gzipSync(imagesFile(3, 2, 2, (i, p) => 51 * i + p)),
    );
    await writeFile(join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(labelsFile([9, 0, 3])));
    await writeFile(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(imagesFile(2, 2, 2, () => 255)));
    await writeFile(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(labelsFile([9, 1])));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the train and t10k files, pixels scaled to [0, 1] in float32", async () => {
    const { train, test } = await loadFashionMnist(dir);
    expect([train.count, train.rows, train.cols, test.count]).toEqual([3, 2, 2, 2]);
    expect(Array.from(train.labels)).toEqual([9, 0, 3]);
    expect(Array.from(test.labels)).toEqual([9, 1]);
    expect(Array.from(train.images.subarray(4, 8))).toEqual(
      [51, 52, 53, 54].map((v) => Math.fround(v / 255)),
    );
    expect(Array.from(test.images)).toEqual(new Array(8).fill(1));
  });

  it("names the ten classes in label order, as Fashion-MNIST's README does", () => {
    expect(FASHION_MNIST_CLASSES).toHaveLength(10);
    expect([FASHION_MNIST_CLASSES[0], FASHION_MNIST_CLASSES[9]]).toEqual(["T-shirt/top", "Ankle boot"]);
    expect(FASHION_MNIST_CLASSES.indexOf("Sneaker")).toBe(7);
  });
});
