import { describe, expect, it } from "vitest";
import { parseInteger } from "./parseInteger";

describe("parseInteger", () => {
  it("reads decimal, binary and hex with a sign and separators", () => {
    expect(parseInteger("-3")).toEqual({ ok: true, value: -3 });
    expect(parseInteger(" +42 ")).toEqual({ ok: true, value: 42 });
    expect(parseInteger("0b1011")).toEqual({ ok: true, value: 11 });
    expect(parseInteger("-0xFF")).toEqual({ ok: true, value: -255 });
    expect(parseInteger("1 000_000")).toEqual({ ok: true, value: 1_000_000 });
  });
  it("turns -0 into 0", () => {
    const r = parseInteger("-0");
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });
  it("explains what it cannot read", () => {
    expect(parseInteger("2.5")).toEqual({ ok: false, error: "not an integer: 2.5" });
    expect(parseInteger("")).toEqual({ ok: false, error: "type an integer" });
    expect(parseInteger("0b102")).toEqual({ ok: false, error: "not an integer: 0b102" });
    expect(parseInteger("9007199254740993")).toEqual({ ok: false, error: "too large: keep it within ±2^53" });
  });
});
