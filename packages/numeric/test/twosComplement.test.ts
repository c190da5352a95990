import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fromTwosComplement,
  fromTwosComplement64,
  intRange,
  toTwosComplement,
  toTwosComplement64,
} from "../src/index";
import { bigAny, bits32, bits64, mod, refWrap } from "./_intReference";

describe("two's complement", () => {
  it("known answers", () => {
    expect(toTwosComplement(-3, 8)).toBe(0b11111101);
    expect(toTwosComplement(-128, 8)).toBe(0x80);
    expect(toTwosComplement(127, 8)).toBe(127);
    expect(toTwosComplement(-1, 32)).toBe(0xffffffff);
    expect(toTwosComplement(-1, 1)).toBe(1);
    expect(Object.is(toTwosComplement(-0, 8), 0)).toBe(true);
    expect(fromTwosComplement(0b11111101, 8)).toBe(-3);
    expect(fromTwosComplement(0x80000000, 32)).toBe(-2147483648);
    expect(fromTwosComplement(1, 1)).toBe(-1);
    expect(toTwosComplement64(-2n)).toBe(0xffff_ffff_ffff_fffen);
    expect(fromTwosComplement64(2n ** 63n)).toBe(-(2n ** 63n));
    expect(toTwosComplement(-5n, 12)).toBe(4091n);
  });
  it("to -> from round-trips every value of every width (fast-check, numbers and bigints)", () => {
    fc.assert(
      fc.property(bits32, fc.double({ min: 0, max: 1, noNaN: true }), (bits, t) => {
        const { min, max } = intRange(bits, true);
        const v = Math.round(min + t * (max - min)) + 0; // + 0: no -0
        const p = toTwosComplement(v, bits);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(2 ** bits);
        expect(BigInt(p)).toBe(mod(BigInt(v), bits));
        expect(fromTwosComplement(p, bits)).toBe(v);
      }),
    );
    fc.assert(
      fc.property(bits64, bigAny, (bits, raw) => {
        const v = refWrap(raw, bits, true);
        const p = toTwosComplement(v, bits);
        expect(p).toBe(mod(v, bits));
        expect(fromTwosComplement(p, bits)).toBe(v);
      }),
    );
  });
  it("from -> to round-trips every pattern", () => {
    fc.assert(
      fc.property(bits32, fc.double({ min: 0, max: 1, noNaN: true }), (bits, t) => {
        const p = Math.floor(t * (2 ** bits - 1));
        expect(toTwosComplement(fromTwosComplement(p, bits), bits)).toBe(p);
      }),
    );
  });
  it("all 256 patterns of int8 match Int8Array's own reading", () => {
    const u = new Uint8Array(256).map((_, i) => i);
    const i8 = new Int8Array(u.buffer);
    for (let p = 0; p < 256; p++) {
      expect(fromTwosComplement(p, 8)).toBe(i8[p]);
      expect(toTwosComplement(i8[p]!, 8)).toBe(p);
    }
  });
});

describe("bad input: errors name the argument and the value", () => {
  it("widths outside 1..32 for numbers, 1..64 for bigints", () => {
    expect(() => toTwosComplement(1, 2.5)).toThrow("got 2.5");
    expect(() => toTwosComplement(1n, 65)).toThrow("1..64, got 65");
  });
  it("non-integers where integers are required", () => {
    expect(() => toTwosComplement(1.5, 8)).toThrow("value must be an integer, got 1.5");
    expect(() => fromTwosComplement(Number.NaN, 8)).toThrow("pattern must be an integer, got NaN");
    // @ts-expect-error number where bigint is required
    expect(() => toTwosComplement64(-1)).toThrow("value must be a bigint, got -1");
  });
  it("integers out of range for the width", () => {
    expect(() => toTwosComplement(128, 8)).toThrow("value must be in -128..127 (signed 8-bit), got 128");
    expect(() => toTwosComplement(-129, 8)).toThrow(RangeError);
    expect(() => fromTwosComplement(256, 8)).toThrow("pattern must be in 0..255 (8-bit pattern), got 256");
    expect(() => fromTwosComplement(-1, 8)).toThrow(RangeError);
    expect(() => fromTwosComplement64(2n ** 64n)).toThrow(/got 18446744073709551616n/);
  });
});
