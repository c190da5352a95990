import { describe, expect, it } from "vitest";
import { maxPool2dIndices } from "../src/index";

const w2 = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] } as const;

describe("maxPool2dIndices", () => {
  it("maxPool2dIndices(x, shape, window, out) gives each window's argmax as a flat index (first on ties)", () => {
    const x = new Uint8Array([1, 2, 5, 3, 4, 0, 7, 8, 9, 1, 2, 3, 6, 5, 4, 8]);
    expect(Array.from(maxPool2dIndices(x, [1, 1, 4, 4], w2, [2, 2]))).toEqual([4, 7, 8, 15]);
    expect(Array.from(maxPool2dIndices(new Float32Array(4).fill(3), [1, 1, 2, 2], w2, [1, 1]))).toEqual([0]);
  });

  it("NaN wins a window, padding never does, and planes are separate", () => {
    const x = new Float32Array([1, Number.NaN, 5, 3, -1, -2, -3, -4]);
    expect(Array.from(maxPool2dIndices(x, [1, 2, 2, 2], w2, [1, 1]))).toEqual([1, 4]);
    // 3x3 window, padding 1, stride 2 over a 2x2 plane of negatives: the padded zeros do not win.
    const pad = { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] } as const;
    expect(
      Array.from(maxPool2dIndices(new Float32Array([-5, -4, -3, -6]), [1, 1, 2, 2], pad, [1, 1])),
    ).toEqual([2]);
  });
});
