import { describe, expect, it } from "vitest";
import { createDataset, type Dataset } from "../src/index";

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

describe("createDataset", () => {
  it("checks that images and labels agree", () => {
    expect(indexed(3).count).toBe(3);
    expect(() => createDataset(new Float32Array(8), new Uint8Array(3), 2, 2)).toThrow(
      "labels count 3 != images count 2",
    );
    expect(() => createDataset(new Float32Array(7), new Uint8Array(2), 2, 2)).toThrow(
      /7 values, not a whole number of 2x2 images/,
    );
    expect(() => createDataset(new Float32Array(4), new Uint8Array(1), 0, 2)).toThrow(
      "rows must be a positive integer, got 0",
    );
    // @ts-expect-error labels must be a Uint8Array
    expect(() => createDataset(new Float32Array(4), [1], 2, 2)).toThrow(TypeError);
  });
});

describe("degenerate numbers and empty sets are errors where they enter (items 5, 18)", () => {
  it("createDataset rejects NaN pixels and an empty set", () => {
    expect(() => createDataset(new Float32Array([0, Number.NaN]), new Uint8Array([1]), 1, 2)).toThrow(
      "images[1] (image 0, pixel 1) is NaN; pixels must be finite",
    );
    expect(() => createDataset(new Float32Array(0), new Uint8Array(0), 1, 2)).toThrow(/images is empty/);
  });
});
