import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toBits, toTwosComplement } from "../src/index";
import { bigAny, bits64, refWrap } from "./_intReference";

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

describe("bad input: errors name the argument and the value", () => {
  it("non-integers where integers are required", () => {
    expect(() => toBits(0.1, 8)).toThrow("value must be an integer, got 0.1");
  });
  it("integers out of range for the width", () => {
    expect(() => toBits(256, 8)).toThrow("value must be in -128..255 (8-bit, signed or unsigned), got 256");
    expect(() => toBits(-129, 8)).toThrow(RangeError);
  });
});
