import { describe, expect, it } from "vitest";
import {
  FLOAT32_MAX_EXACT_INTEGER,
  FLOAT32_MAX_SAFE_INTEGER,
  FLOAT64_MAX_EXACT_INTEGER,
  float32,
  isExactInFloat32,
  isSafeIntegerFloat32,
  MAX_SAFE_INTEGER,
} from "../src/index";

describe("where exactness ends", () => {
  it("float64 holds every integer up to 2^53, not 2^53 + 1", () => {
    expect(FLOAT64_MAX_EXACT_INTEGER).toBe(9007199254740992);
    expect(MAX_SAFE_INTEGER).toBe(FLOAT64_MAX_EXACT_INTEGER - 1);
    // 2^53 + 1 as a BigInt does not survive the trip through a number.
    expect(BigInt(Number(2n ** 53n + 1n))).toBe(2n ** 53n);
    expect(BigInt(Number(2n ** 53n - 1n))).toBe(2n ** 53n - 1n);
  });
  it("float32 holds every integer up to 2^24, not 2^24 + 1", () => {
    expect(FLOAT32_MAX_EXACT_INTEGER).toBe(16777216);
    expect(FLOAT32_MAX_SAFE_INTEGER).toBe(16777215);
    const f = new Float32Array([
      FLOAT32_MAX_EXACT_INTEGER - 1,
      FLOAT32_MAX_EXACT_INTEGER,
      FLOAT32_MAX_EXACT_INTEGER + 1,
    ]);
    expect(Array.from(f)).toEqual([16777215, 16777216, 16777216]);
    expect(float32.maxExactInteger).toBe(FLOAT32_MAX_EXACT_INTEGER);
    // Summing 1s in float32 stalls at 2^24: why an integer GPU kernel must stay below it.
    const acc = new Float32Array([2 ** 24]);
    acc[0] = acc[0]! + 1;
    expect(acc[0]).toBe(2 ** 24);
  });
  it("every integer 0..2^24 is exact in float32; past it only even, then multiples of 4", () => {
    let firstInexact = -1;
    for (let n = 0; n <= 2 ** 24 + 2; n++) {
      if (!isExactInFloat32(n)) {
        firstInexact = n;
        break;
      }
    }
    expect(firstInexact).toBe(2 ** 24 + 1);
    expect([2 ** 24 + 2, 2 ** 25 + 2, 2 ** 25 + 4].map(isExactInFloat32)).toEqual([true, false, true]);
    expect([0.5, 0.1, -0, Infinity, Number.NaN].map(isExactInFloat32)).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
  });
  it("isSafeIntegerFloat32 mirrors Number.isSafeInteger at 2^24", () => {
    expect([16777215, -16777215, 16777216, 1.5, Infinity].map(isSafeIntegerFloat32)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    // @ts-expect-error not a number
    expect(() => isSafeIntegerFloat32("1")).toThrow(TypeError);
  });
});
