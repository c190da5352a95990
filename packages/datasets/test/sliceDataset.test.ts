import { describe, expect, it } from "vitest";
import { createDataset, type Dataset, sliceDataset } from "../src/index";

/** n images of 2x2 whose pixels all hold the image's index, labels index % 10: every row is traceable. */
function indexed(n: number): Dataset {
  const images = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i, i * 4, i * 4 + 4);
  return createDataset(
    images,
    Uint8Array.from({ length: n }, (_, i) => i % 10),
    2,
    2,
  );
}

describe("shuffleDataset and sliceDataset", () => {
  it("sliceDataset returns views and accepts negative indices", () => {
    const ds = indexed(10);
    const s = sliceDataset(ds, -3);
    expect(s.count).toBe(3);
    expect(s.images[0]).toBe(7);
    expect(s.images.buffer).toBe(ds.images.buffer);
    expect(sliceDataset(ds, 2, 4).labels).toEqual(new Uint8Array([2, 3]));
    expect(sliceDataset(ds, 8, 2).count).toBe(0);
    expect(() => sliceDataset(ds, 1.5)).toThrow("start must be an integer, got 1.5");
  });
});
