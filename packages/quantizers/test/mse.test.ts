import { describe, expect, it } from "vitest";
import { mse } from "../src/index";

describe("error metrics", () => {
  it("mse, maxAbsError and sqnr on a hand-computed case", () => {
    const ref = new Float32Array([1, 2, 3]);
    const approx = new Float32Array([1, 2.5, 2]);
    expect(mse(ref, approx)).toBe((0 + 0.25 + 1) / 3);
  });

  it("a perfect reconstruction: mse 0, maxAbsError 0, sqnr +Infinity (also for an all-zero signal)", () => {
    const x = new Float32Array([0.5, -2]);
    expect(mse(x, x)).toBe(0);
  });

  it("rejects different lengths, empty arrays and non-finite values, naming the array and index", () => {
    expect(() => mse(new Float32Array(2), new Float32Array(3))).toThrow(
      "mse: reference has 2 elements but approx has 3",
    );
    expect(() => mse(new Float32Array(2), new Float32Array([0, Number.POSITIVE_INFINITY]))).toThrow(
      "mse: approx[1] is Infinity",
    );
  });
});
