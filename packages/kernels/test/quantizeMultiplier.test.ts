import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from "../src/index";
import { _multiplyByQuantizedMultiplier } from "../src/multiplyByQuantizedMultiplier";
import { refMultiplyByQuantizedMultiplier, refQuantizeMultiplier, TestRng } from "./_reference";

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

describe("multiplyByQuantizedMultiplier", () => {
  const INT32_MIN = -(2 ** 31);
  const INT32_MAX = 2 ** 31 - 1;
  const extremes = [
    0,
    1,
    -1,
    2,
    -2,
    3,
    -3,
    INT32_MIN,
    INT32_MIN + 1,
    INT32_MAX,
    INT32_MAX - 1,
    2 ** 30,
    -(2 ** 30),
    2 ** 16,
    -(2 ** 16) - 1,
  ];

  it("gives known answers: RoundingDivideByPOT ties away from zero, the high mul's ties upward", () => {
    const { multiplier, shift } = quantizeMultiplier(0.25);
    expect(multiplyByQuantizedMultiplier(10, multiplier, shift)).toBe(3); // 2.5 -> 3
    expect(multiplyByQuantizedMultiplier(-10, multiplier, shift)).toBe(-3); // -2.5 -> -3
    expect(multiplyByQuantizedMultiplier(7, multiplier, shift)).toBe(2); // 1.75 -> 2
    // gemmlowp rounds twice: 9 * 2^30 * 2 / 2^32 = 4.5 -> 5, then 5 / 2 = 2.5 -> 3 (not round(2.25) = 2).
    expect(multiplyByQuantizedMultiplier(9, multiplier, shift)).toBe(3);
    expect(multiplyByQuantizedMultiplier(-6, multiplier, shift)).toBe(-2); // -1.5 -> -2
    // SaturatingRoundingDoublingHighMul's one overflow: INT32_MIN * INT32_MIN saturates to INT32_MAX.
    // (The public function takes only non-negative multipliers; the core is TFLite's for any int32.)
    expect(_multiplyByQuantizedMultiplier(INT32_MIN, INT32_MIN, 0)).toBe(INT32_MAX);
    // x = +-1, m = 2^30: the high mul is +-0.5. gemmlowp's nudge is 2^30 for a positive product and
    // 1 - 2^30 for a negative one, so 0.5 -> 1 but -0.5 -> 0 (that tie goes up, not away from zero).
    expect(multiplyByQuantizedMultiplier(1, 2 ** 30, 0)).toBe(1);
    expect(multiplyByQuantizedMultiplier(-1, 2 ** 30, 0)).toBe(0);
    expect(multiplyByQuantizedMultiplier(-3, 2 ** 30, 0)).toBe(-1);
  });

  it("equals the BigInt reference on every pair of extremes and every shift in [-31, 30]", () => {
    for (const x of extremes) {
      for (const m of extremes) {
        for (let shift = -31; shift <= 30; shift++) {
          const f = m < 0 ? _multiplyByQuantizedMultiplier : multiplyByQuantizedMultiplier;
          expect(f(x, m, shift)).toBe(refMultiplyByQuantizedMultiplier(x, m, shift));
        }
      }
    }
  });

  it("equals the BigInt reference on 300,000 random int32 triples (62-bit products, wrapped left shifts)", () => {
    const rng = new TestRng(99);
    for (let i = 0; i < 300_000; i++) {
      const x = rng.next() | 0;
      const m = i % 2 === 0 ? rng.next() | 0 : 2 ** 30 + (rng.next() % 2 ** 30); // any int32, or a quantizeMultiplier output
      const shift = rng.int(-31, 30);
      const got =
        m < 0 ? _multiplyByQuantizedMultiplier(x, m, shift) : multiplyByQuantizedMultiplier(x, m, shift);
      const want = refMultiplyByQuantizedMultiplier(x, m, shift);
      if (got !== want) expect({ x, m, shift, got }).toEqual({ x, m, shift, got: want });
    }
  });

  it("rounds exact ties the gemmlowp way: x * 2^30 / 2^(31 + r) for every right shift r", () => {
    // With m = 2^30 the high mul is exactly x / 2 (ties nudged away from zero), then RoundingDivideByPOT.
    for (let r = 0; r <= 31; r++) {
      for (const x of [
        1,
        3,
        5,
        2 ** r,
        3 * 2 ** Math.max(0, r - 1),
        -(2 ** r),
        -(3 * 2 ** Math.max(0, r - 1)),
        INT32_MAX,
        INT32_MIN,
      ]) {
        const xi = x | 0;
        expect(multiplyByQuantizedMultiplier(xi, 2 ** 30, -r)).toBe(
          refMultiplyByQuantizedMultiplier(xi, 2 ** 30, -r),
        );
      }
    }
  });

  it("rejects non-int32 x or multiplier and shifts outside [-31, 30], naming the argument", () => {
    expect(() => multiplyByQuantizedMultiplier(2 ** 31, 1, 0)).toThrow(
      /x must be an integer in \[-2147483648, 2147483647\]/,
    );
    expect(() => multiplyByQuantizedMultiplier(1.5, 1, 0)).toThrow(RangeError);
    expect(() => multiplyByQuantizedMultiplier(1, 2 ** 31, 0)).toThrow(/multiplier must be an integer/);
    // Issue 15, item 4: a negative multiplier flips every output's sign; quantizeMultiplier never gives one.
    expect(() => multiplyByQuantizedMultiplier(1, -5, 0)).toThrow(
      /multiplier must be an integer in \[0, 2147483647\] \(non-negative int32\), got -5/,
    );
    expect(() => multiplyByQuantizedMultiplier(1, 1, 31)).toThrow(
      /shift must be an integer in \[-31, 30\], got 31/,
    );
    expect(() => multiplyByQuantizedMultiplier(1, 1, -32)).toThrow(/shift/);
  });
});
