import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkInt,
  fromTwosComplement,
  fromTwosComplement64,
  intRange,
  intRangeBigInt,
  saturate,
  toBits,
  toTwosComplement,
  toTwosComplement64,
  wrap,
} from "../src/index";

// The BigInt reference: a bits-wide register as the math defines it (no code shared with src/).
const mod = (v: bigint, bits: number) =>
  ((v % (1n << BigInt(bits))) + (1n << BigInt(bits))) % (1n << BigInt(bits));
const refRange = (bits: number, signed: boolean) =>
  signed
    ? { min: -(2n ** BigInt(bits - 1)), max: 2n ** BigInt(bits - 1) - 1n }
    : { min: 0n, max: 2n ** BigInt(bits) - 1n };
const refWrap = (v: bigint, bits: number, signed: boolean) => {
  const r = mod(v, bits);
  return signed && r >= 2n ** BigInt(bits - 1) ? r - 2n ** BigInt(bits) : r;
};

const bits32 = fc.integer({ min: 1, max: 32 });
const bits64 = fc.integer({ min: 1, max: 64 });
/** An integer-valued double of any size up to 2^80 (beyond 2^53 they are sparse but exact). */
const anyInt = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => Number(b)),
);
const bigAny = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });

describe("intRange", () => {
  it("gives the two's complement and unsigned ranges", () => {
    expect(intRange(8, true)).toEqual({ min: -128, max: 127 });
    expect(intRange(8, false)).toEqual({ min: 0, max: 255 });
    expect(intRange(1, true)).toEqual({ min: -1, max: 0 });
    expect(intRange(4, true)).toEqual({ min: -8, max: 7 });
    expect(intRange(32, true)).toEqual({ min: -2147483648, max: 2147483647 });
    expect(intRange(32, false)).toEqual({ min: 0, max: 4294967295 });
    expect(intRangeBigInt(64, true)).toEqual({ min: -9223372036854775808n, max: 9223372036854775807n });
    expect(intRangeBigInt(64, false)).toEqual({ min: 0n, max: 18446744073709551615n });
  });
  it("equals the BigInt definition for every width", () => {
    for (let b = 1; b <= 64; b++) {
      for (const s of [true, false]) {
        expect(intRangeBigInt(b, s)).toEqual(refRange(b, s));
        if (b <= 32)
          expect(intRange(b, s)).toEqual({
            min: Number(refRange(b, s).min),
            max: Number(refRange(b, s).max),
          });
      }
    }
  });
});

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

describe("saturate and wrap", () => {
  it("known answers", () => {
    expect([
      saturate(300, 8, true),
      saturate(-300, 8, true),
      saturate(-5, 8, false),
      saturate(42, 8, false),
    ]).toEqual([127, -128, 0, 42]);
    expect([wrap(128, 8, true), wrap(-129, 8, true), wrap(-1, 8, false), wrap(256, 8, false)]).toEqual([
      -128, 127, 255, 0,
    ]);
    expect(wrap(2 ** 32 + 5, 32, true)).toBe(5);
    expect(wrap(2 ** 31, 32, true)).toBe(-(2 ** 31));
    expect(wrap(2 ** 31, 32, false)).toBe(2 ** 31);
    expect(wrap(2n ** 63n, 64, true)).toBe(-(2n ** 63n));
    expect(saturate(2n ** 70n, 64, false)).toBe(2n ** 64n - 1n);
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

describe("toBits", () => {
  it("prints the register's bits, most significant first", () => {
    expect(toBits(-3, 8)).toBe("11111101");
    expect(toBits(253, 8)).toBe("11111101");
    expect(toBits(5, 4)).toBe("0101");
    expect(toBits(-8, 4)).toBe("1000");
    expect(toBits(0, 1)).toBe("0");
    expect(toBits(-1, 32)).toBe("1".repeat(32));
    expect(toBits(-1n, 64)).toBe("1".repeat(64));
    expect(toBits(1n, 64)).toBe(`${"0".repeat(63)}1`);
  });
  it("agrees with toTwosComplement for every width", () => {
    fc.assert(
      fc.property(bits64, bigAny, (bits, raw) => {
        const v = refWrap(raw, bits, true);
        const s = toBits(v, bits);
        expect(s).toHaveLength(bits);
        expect(BigInt(`0b${s}`)).toBe(toTwosComplement(v, bits));
        if (bits <= 32) expect(toBits(Number(v), bits)).toBe(s);
      }),
    );
  });
});

describe("checkInt", () => {
  it("throws, saturates or wraps as asked", () => {
    expect(checkInt(127, 8, true)).toBe(127);
    expect(checkInt(128, 8, true, { mode: "saturate" })).toBe(127);
    expect(checkInt(128, 8, true, { mode: "wrap" })).toBe(-128);
    expect(checkInt(2n ** 64n, 64, false, { mode: "wrap" })).toBe(0n);
    expect(() => checkInt(128, 8, true)).toThrow("value must be in -128..127 (signed 8-bit), got 128");
    expect(() => checkInt(256, 8, false, { name: "zeroPoint" })).toThrow(
      "zeroPoint must be in 0..255 (unsigned 8-bit), got 256",
    );
    expect(() => checkInt(2n ** 63n, 64, true)).toThrow(
      "value must be in -9223372036854775808n..9223372036854775807n (signed 64-bit), got 9223372036854775808n",
    );
    expect(() => checkInt(1.5, 8, true, { mode: "saturate" })).toThrow("value must be an integer, got 1.5");
    // @ts-expect-error an unknown mode
    expect(() => checkInt(1, 8, true, { mode: "clamp" })).toThrow(
      'options.mode must be "throw", "saturate" or "wrap", got "clamp"',
    );
  });
});

describe("bad input: errors name the argument and the value", () => {
  it("widths outside 1..32 for numbers, 1..64 for bigints", () => {
    expect(() => intRange(0, true)).toThrow(RangeError);
    expect(() => intRange(0, true)).toThrow("bits must be an integer in 1..32");
    expect(() => intRange(33, true)).toThrow(
      "bits must be an integer in 1..32 for number values (pass a bigint value for widths up to 64), got 33",
    );
    expect(() => intRangeBigInt(65, true)).toThrow("bits must be an integer in 1..64, got 65");
    expect(() => toTwosComplement(1, 2.5)).toThrow("got 2.5");
    expect(() => toTwosComplement(1n, 65)).toThrow("1..64, got 65");
    expect(() => wrap(1, 40, true)).toThrow(/pass a bigint/);
    // @ts-expect-error a string width
    expect(() => saturate(1, "8", true)).toThrow(TypeError);
    // @ts-expect-error signed must be a boolean
    expect(() => saturate(1, 8, 1)).toThrow("signed must be a boolean, got 1");
  });
  it("non-integers where integers are required", () => {
    expect(() => toTwosComplement(1.5, 8)).toThrow("value must be an integer, got 1.5");
    expect(() => fromTwosComplement(Number.NaN, 8)).toThrow("pattern must be an integer, got NaN");
    expect(() => saturate(Infinity, 8, true)).toThrow("value must be an integer, got Infinity");
    expect(() => wrap(-0.5, 8, true)).toThrow(RangeError);
    expect(() => toBits(0.1, 8)).toThrow("value must be an integer, got 0.1");
    // @ts-expect-error a string value
    expect(() => wrap("5", 8, true)).toThrow('value must be a number, got "5"');
    // @ts-expect-error number where bigint is required
    expect(() => toTwosComplement64(-1)).toThrow("value must be a bigint, got -1");
  });
  it("integers out of range for the width", () => {
    expect(() => toTwosComplement(128, 8)).toThrow("value must be in -128..127 (signed 8-bit), got 128");
    expect(() => toTwosComplement(-129, 8)).toThrow(RangeError);
    expect(() => fromTwosComplement(256, 8)).toThrow("pattern must be in 0..255 (8-bit pattern), got 256");
    expect(() => fromTwosComplement(-1, 8)).toThrow(RangeError);
    expect(() => fromTwosComplement64(2n ** 64n)).toThrow(/got 18446744073709551616n/);
    expect(() => toBits(256, 8)).toThrow("value must be in -128..255 (8-bit, signed or unsigned), got 256");
    expect(() => toBits(-129, 8)).toThrow(RangeError);
  });
});
