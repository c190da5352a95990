import { describe, expect, it } from "vitest";
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from "../src/index";
import { _multiplyByQuantizedMultiplier } from "../src/multiplyByQuantizedMultiplier";
import { refMultiplyByQuantizedMultiplier, TestRng } from "./_reference";

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
