import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { calculateQParams, fakeQuantize, sqnr } from "../src/index";

describe("error metrics", () => {
  it("mse, maxAbsError and sqnr on a hand-computed case", () => {
    const ref = new Float32Array([1, 2, 3]);
    const approx = new Float32Array([1, 2.5, 2]);
    // signal 14, noise 1.25: 10 log10(11.2)
    expect(sqnr(ref, approx)).toBeCloseTo(10 * Math.log10(14 / 1.25), 12);
    expect(sqnr(new Float32Array([3, 4]), new Float32Array([3, 4.5]))).toBeCloseTo(20, 12);
  });

  it("a perfect reconstruction: mse 0, maxAbsError 0, sqnr +Infinity (also for an all-zero signal)", () => {
    const x = new Float32Array([0.5, -2]);
    expect(sqnr(x, x)).toBe(Number.POSITIVE_INFINITY);
    expect(sqnr(new Float32Array(3), new Float32Array(3))).toBe(Number.POSITIVE_INFINITY);
    expect(sqnr(new Float32Array(2), new Float32Array([0, 1]))).toBe(Number.NEGATIVE_INFINITY);
  });

  it("rejects different lengths, empty arrays and non-finite values, naming the array and index", () => {
    expect(() => sqnr(new Float32Array([1, Number.NaN]), new Float32Array(2))).toThrow(
      "sqnr: reference[1] is NaN",
    );
  });
});

describe("error metrics", () => {
  it("a uniform quantizer gains about 6.02 dB of SQNR per bit on a uniform signal", () => {
    const rng = new Rng(12);
    const x = rng.fillUniform(new Float32Array(50_000), -1, 1);
    for (const bits of [4, 6, 8]) {
      const q = calculateQParams(-1, 1, {
        dtype: "qint8",
        qscheme: "per_tensor_symmetric",
        quantMin: -(2 ** (bits - 1)),
        quantMax: 2 ** (bits - 1) - 1,
      });
      // uniform noise of variance scale^2 / 12 against a signal of variance 1/3: SQNR = 10 log10(4 / scale^2),
      // with scale = 2 / (2^bits - 1) that is 20 log10(2^bits - 1) ~ 6.02 dB per bit
      const scale = q.scale[0]!;
      const expected = 10 * Math.log10(4 / scale ** 2);
      expect(expected).toBeCloseTo(20 * Math.log10(2 ** bits - 1), 4);
      expect(Math.abs(sqnr(x, fakeQuantize(x, [x.length], q)) - expected)).toBeLessThan(0.1);
    }
  });
});
