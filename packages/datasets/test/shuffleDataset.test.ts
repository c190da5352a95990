import { describe, expect, it } from "vitest";
import { createDataset, type Dataset, shuffleDataset } from "../src/index";

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
  it("shuffleDataset permutes images with their labels, reproducibly", () => {
    const ds = indexed(20);
    const s = shuffleDataset(ds, 5);
    const order = Array.from({ length: 20 }, (_, i) => s.images[i * 4]!);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (let i = 0; i < 20; i++) expect(s.labels[i]).toBe(order[i]! % 10);
    expect(shuffleDataset(ds, 5).images).toEqual(s.images);
  });
});

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  const ds = createDataset(new Float32Array([0, 0.5, 1, 0.25]), new Uint8Array([1, 2]), 1, 2);
  it("shuffleDataset names a seed that is neither a number nor an Rng", () => {
    expect(() => shuffleDataset(ds, "abc" as never)).toThrow(
      'shuffleDataset: rngOrSeed must be an integer seed or an Rng, got string "abc"',
    );
  });
});
