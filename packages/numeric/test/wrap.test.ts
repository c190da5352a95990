import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wrap } from "../src/index";
import { anyInt, bits32, refWrap } from "./_intReference";

describe("wrap", () => {
  it("known answers", () => {
    expect([wrap(128, 8, true), wrap(-129, 8, true), wrap(-1, 8, false), wrap(256, 8, false)]).toEqual([
      -128, 127, 255, 0,
    ]);
    expect(wrap(2 ** 32 + 5, 32, true)).toBe(5);
    expect(wrap(2 ** 31, 32, true)).toBe(-(2 ** 31));
    expect(wrap(2 ** 31, 32, false)).toBe(2 ** 31);
    expect(wrap(2n ** 63n, 64, true)).toBe(-(2n ** 63n));
    expect(Object.is(wrap(-256, 8, false), 0)).toBe(true); // never -0
  });
  it("wrap(v) is the representative of v mod 2^bits in the range (BigInt reference, any integer size)", () => {
    fc.assert(
      fc.property(anyInt, bits32, fc.boolean(), (v, bits, signed) => {
        const w = wrap(v, bits, signed);
        expect(BigInt(w)).toBe(refWrap(BigInt(v), bits, signed));
        expect(wrap(BigInt(v), bits, signed)).toBe(BigInt(w));
        expect(wrap(w, bits, signed)).toBe(w); // idempotent
        // matches JS's own 32-bit wrap for 32-bit signed
        if (bits === 32 && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
          expect(w).toBe(signed ? v | 0 : v >>> 0);
        }
      }),
    );
  });
  it("wrap is additive: wrap(a + b) = wrap(wrap(a) + wrap(b))", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), bits32, fc.boolean(), (a, b, bits, signed) => {
        const A = BigInt(a);
        const B = BigInt(b);
        expect(wrap(A + B, bits, signed)).toBe(
          BigInt(wrap(wrap(a, bits, signed) + wrap(b, bits, signed), bits, signed)),
        );
      }),
    );
  });
});

describe("bad input: errors name the argument and the value", () => {
  it("widths outside 1..32 for numbers, 1..64 for bigints", () => {
    expect(() => wrap(1, 40, true)).toThrow(/pass a bigint/);
  });
  it("non-integers where integers are required", () => {
    expect(() => wrap(-0.5, 8, true)).toThrow(RangeError);
    // @ts-expect-error a string value
    expect(() => wrap("5", 8, true)).toThrow('value must be a number, got "5"');
  });
});
