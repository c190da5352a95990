import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantizeMultiplier } from "../src/index";
import { refQuantizeMultiplier } from "./_reference";

describe("quantizeMultiplier", () => {
  it("gives TFLite's known answers (frexp, round to 31 bits)", () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 3 * 2 ** 29, shift: 2 });
    // 0.0123 = 0.7872 * 2^-6; 0.7872 * 2^31 = 1690499127.7... rounds to 1690499128.
    expect(quantizeMultiplier(0.0123)).toEqual({ multiplier: 1690499128, shift: -6 });
  });

  it("carries 2^31 into the shift: q just below 1 rounds up to 2^31", () => {
    // 1 - 2^-40 has q = 1 - 2^-40, q * 2^31 rounds to 2^31 -> 2^30 with shift + 1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.5 - 2 ** -45)).toEqual({ multiplier: 2 ** 30, shift: 0 });
  });

  it("flushes multipliers below 2^-32 to (0, 0), as TFLite does for shift < -31", () => {
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(Number.MIN_VALUE)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
  });

  it("matches a frexp-by-halving reference, with the multiplier in [2^30, 2^31) and error <= 2^-31 relative", () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -31, max: 2 ** 29, noNaN: true }), (real) => {
        const got = quantizeMultiplier(real);
        expect(got).toEqual(refQuantizeMultiplier(real));
        expect(got.multiplier).toBeGreaterThanOrEqual(2 ** 30);
        expect(got.multiplier).toBeLessThan(2 ** 31);
        const back = got.multiplier * 2 ** (got.shift - 31);
        expect(Math.abs(back - real) / real).toBeLessThanOrEqual(2 ** -31);
      }),
      { numRuns: 2000, seed: 4 },
    );
  });

  it("rejects a multiplier that is not positive and finite, or too large, naming realMultiplier", () => {
    for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, -Number.POSITIVE_INFINITY]) {
      expect(() => quantizeMultiplier(bad)).toThrow(RangeError);
      expect(() => quantizeMultiplier(bad)).toThrow(/realMultiplier must be a positive finite number/);
    }
    expect(() => quantizeMultiplier(2 ** 30)).toThrow(/realMultiplier must be below 2\^30/);
    expect(() => quantizeMultiplier(2 ** 30 - 2 ** -20)).toThrow(/below 2\^30/); // rounds up into shift 31
    expect(quantizeMultiplier(2 ** 29).shift).toBe(30);
    expect(() => quantizeMultiplier("0.5" as unknown as number)).toThrow(TypeError);
  });
});
