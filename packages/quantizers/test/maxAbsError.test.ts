import { describe, expect, it } from "vitest";
import { maxAbsError } from "../src/index";

describe("error metrics", () => {
  it("mse, maxAbsError and sqnr on a hand-computed case", () => {
    const ref = new Float32Array([1, 2, 3]);
    const approx = new Float32Array([1, 2.5, 2]);
    expect(maxAbsError(ref, approx)).toBe(1);
  });

  it("a perfect reconstruction: mse 0, maxAbsError 0, sqnr +Infinity (also for an all-zero signal)", () => {
    const x = new Float32Array([0.5, -2]);
    expect(maxAbsError(x, x)).toBe(0);
  });

  it("rejects different lengths, empty arrays and non-finite values, naming the array and index", () => {
    expect(() => maxAbsError(new Float32Array(0), new Float32Array(0))).toThrow(
      "maxAbsError: the arrays are empty",
    );
    expect(() => maxAbsError(new Float32Array([Number.NaN]), new Float32Array(1))).toThrow(
      "maxAbsError: reference[0] is NaN",
    );
  });
});
