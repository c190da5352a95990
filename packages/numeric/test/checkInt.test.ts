import { describe, expect, it } from "vitest";
import { checkInt } from "../src/index";

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
