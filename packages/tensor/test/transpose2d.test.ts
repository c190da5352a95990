import { describe, expect, it } from "vitest";
import { transpose2d } from "../src/index";

describe("transpose2d", () => {
  it("out[c, r] = src[r, c], a new array of the same type", () => {
    const src = Float32Array.of(1, 2, 3, 4, 5, 6);
    const t = transpose2d(src, 2, 3);
    expect(t).toBeInstanceOf(Float32Array);
    expect(Array.from(t)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(src)).toEqual([1, 2, 3, 4, 5, 6]);
    const codes = transpose2d(Int8Array.of(-128, 1, 2, 127), 1, 4);
    expect(codes).toBeInstanceOf(Int8Array);
    expect(Array.from(codes)).toEqual([-128, 1, 2, 127]);
  });

  it("transposing twice gives the matrix back, for every shape up to 5 x 5 (subarray views too)", () => {
    for (let rows = 0; rows <= 5; rows++) {
      for (let cols = 0; cols <= 5; cols++) {
        const base = Float32Array.from({ length: rows * cols + 3 }, (_, i) => i * 0.5 - 2);
        const m = base.subarray(3);
        const t = transpose2d(m, rows, cols);
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) expect(t[c * rows + r]).toBe(m[r * cols + c]);
        expect(Array.from(transpose2d(t, cols, rows))).toEqual(Array.from(m));
      }
    }
  });

  it("names the sizes when src does not hold rows x cols elements", () => {
    expect(() => transpose2d(new Float32Array(5), 2, 3)).toThrow(
      new RangeError("src has 5 elements, expected rows * cols = 2 * 3"),
    );
  });
});
