import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkInt, intRange, saturate, wrap } from "../src/index";
import { anyInt, bigAny, bits32, bits64, refRange } from "./_intReference";

describe("saturate", () => {
  it("known answers", () => {
    expect([
      saturate(300, 8, true),
      saturate(-300, 8, true),
      saturate(-5, 8, false),
      saturate(42, 8, false),
    ]).toEqual([127, -128, 0, 42]);
    expect(saturate(2n ** 70n, 64, false)).toBe(2n ** 64n - 1n);
  });
  it("saturate is the nearest in-range value: identity inside, the bound outside, monotone", () => {
    fc.assert(
      fc.property(anyInt, anyInt, bits32, fc.boolean(), (v, u, bits, signed) => {
        const { min, max } = intRange(bits, signed);
        const s = saturate(v, bits, signed);
        expect(s).toBe(v < min ? min : Math.min(v, max));
        expect(saturate(s, bits, signed)).toBe(s);
        if (v <= u) expect(s).toBeLessThanOrEqual(saturate(u, bits, signed));
        expect(saturate(BigInt(v), bits, signed)).toBe(BigInt(s));
      }),
    );
    fc.assert(
      fc.property(bigAny, bits64, fc.boolean(), (v, bits, signed) => {
        const { min, max } = refRange(bits, signed);
        // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
        const want = v < min ? min : v > max ? max : v;
        expect(saturate(v, bits, signed)).toBe(want);
      }),
    );
  });
  it("saturate and wrap agree exactly on in-range values", () => {
    fc.assert(
      fc.property(bits32, fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (bits, signed, t) => {
        const { min, max } = intRange(bits, signed);
        const v = Math.round(min + t * (max - min)) + 0; // + 0: no -0
        expect(wrap(v, bits, signed)).toBe(v);
        expect(saturate(v, bits, signed)).toBe(v);
        expect(checkInt(v, bits, signed)).toBe(v);
      }),
    );
  });
});

describe("bad input: errors name the argument and the value", () => {
  it("widths outside 1..32 for numbers, 1..64 for bigints", () => {
    // @ts-expect-error a string width
    expect(() => saturate(1, "8", true)).toThrow(TypeError);
    // @ts-expect-error signed must be a boolean
    expect(() => saturate(1, 8, 1)).toThrow("signed must be a boolean, got 1");
  });
  it("non-integers where integers are required", () => {
    expect(() => saturate(Infinity, 8, true)).toThrow("value must be an integer, got Infinity");
  });
});
