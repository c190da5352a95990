import { describe, expect, it } from "vitest";
import { intRange, intRangeBigInt } from "../src/index";
import { refRange } from "./_intReference";

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

describe("bad input: errors name the argument and the value", () => {
  it("widths outside 1..32 for numbers, 1..64 for bigints", () => {
    expect(() => intRange(0, true)).toThrow(RangeError);
    expect(() => intRange(0, true)).toThrow("bits must be an integer in 1..32");
    expect(() => intRange(33, true)).toThrow(
      "bits must be an integer in 1..32 for number values (pass a bigint value for widths up to 64), got 33",
    );
    expect(() => intRangeBigInt(65, true)).toThrow("bits must be an integer in 1..64, got 65");
  });
});
