import { describe, expect, it } from "vitest";
import {
  byteUnit,
  formatBytes,
  formatF32,
  formatInt,
  formatLogTick,
  formatMs,
  formatOrdinal,
  formatPercent,
  formatSig,
} from "./format";

describe("formatBytes", () => {
  it("uses decimal units, as the deck's 28 GB does", () => {
    expect(formatBytes(28e9)).toBe("28.0 GB");
    expect(formatBytes(7e9 * 4)).toBe("28.0 GB");
    expect(formatBytes(358_440)).toBe("358 kB");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(999.6)).toBe("1.00 kB");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1.75e9)).toBe("1.75 GB");
  });
  it("rejects negative and non-finite sizes", () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(Number.NaN)).toThrow("bytes must be finite and >= 0, got NaN");
  });
});

describe("byteUnit", () => {
  it("picks the unit a size reads best in", () => {
    expect(byteUnit(28e9)).toEqual({ unit: "GB", divisor: 1e9 });
    expect(byteUnit(358_440)).toEqual({ unit: "kB", divisor: 1e3 });
    expect(byteUnit(12)).toEqual({ unit: "B", divisor: 1 });
  });
});

describe("formatSig", () => {
  it("keeps the significant digits, trailing zeros included", () => {
    expect(formatSig(28, 3)).toBe("28.0");
    expect(formatSig(0.0123456, 3)).toBe("0.0123");
    expect(formatSig(-1.3888, 3)).toBe("-1.39");
    expect(formatSig(0, 3)).toBe("0");
  });
  it("switches to exponent notation for very small and very large magnitudes", () => {
    expect(formatSig(1.5e-7, 2)).toBe("1.5e-7");
    expect(formatSig(7e9, 2)).toBe("7.0e9");
  });
});

describe("formatInt / formatMs / formatPercent", () => {
  it("groups thousands with narrow no-break spaces", () => {
    expect(formatInt(89610)).toBe("89\u202f610");
    expect(formatInt(-2147483648)).toBe("-2\u202f147\u202f483\u202f648");
    expect(formatInt(127)).toBe("127");
  });
  it("prints durations in µs, ms or s", () => {
    expect(formatMs(0.0421)).toBe("42.1 µs");
    expect(formatMs(12.34)).toBe("12.3 ms");
    expect(formatMs(2500)).toBe("2.50 s");
  });
  it("prints fractions as percentages", () => {
    expect(formatPercent(0.9634)).toBe("96.3 %");
  });
});

describe("formatF32", () => {
  it("prints the shortest decimal that is the same float32", () => {
    expect(formatF32(Math.fround(0.1))).toBe("0.1");
    expect(formatF32(Math.fround(200 / 255))).toBe("0.78431374");
    expect(formatF32(0.15625)).toBe("0.15625");
    expect(formatF32(-50)).toBe("-50");
    expect(formatF32(Math.fround(1 / 3))).toBe("0.33333334");
  });
});

describe("formatLogTick", () => {
  it("labels 1, 2 and 5 times a power of ten, and nothing else", () => {
    expect(formatLogTick(0.00005)).toBe("5e-5");
    expect(formatLogTick(0.02)).toBe("0.02");
    expect(formatLogTick(100)).toBe("100");
    expect(formatLogTick(2e6)).toBe("2e6");
    expect(formatLogTick(0.0003)).toBe("");
    expect(formatLogTick(0)).toBe("");
  });
});

describe("formatOrdinal", () => {
  it("says 1st, 2nd, 3rd, 11th and 99.9th, never 1th", () => {
    expect(formatOrdinal(1)).toBe("1st");
    expect(formatOrdinal(2)).toBe("2nd");
    expect(formatOrdinal(3)).toBe("3rd");
    expect(formatOrdinal(11)).toBe("11th");
    expect(formatOrdinal(99)).toBe("99th");
    expect(formatOrdinal(99.9)).toBe("99.9th");
    expect(formatOrdinal(0.01)).toBe("0.01th");
  });
});
