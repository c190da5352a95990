import { describe, expect, it } from "vitest";
import { assertShape, normalizeAxis, sizeOf, splitAtAxis, stridesOf } from "../src/index";

describe("shape helpers", () => {
  it("sizeOf multiplies dimensions; a scalar shape holds one element", () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5, 0])).toBe(0);
    expect(() => sizeOf([2, -1])).toThrow(/shape\[1\].*-1/);
    expect(() => sizeOf([2.5])).toThrow(/shape\[0\]/);
  });
  it("stridesOf is row-major", () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([7])).toEqual([1]);
  });
  it("normalizeAxis resolves negative axes and names the argument when out of range", () => {
    expect(normalizeAxis(-1, 3)).toBe(2);
    expect(normalizeAxis(0, 1)).toBe(0);
    expect(() => normalizeAxis(3, 3, "chAxis")).toThrow(/chAxis.*got 3/);
  });
  it("assertShape names the argument, the shape and the length", () => {
    expect(assertShape(6, [2, 3])).toBe(6);
    expect(() => assertShape(5, [2, 3], "weight")).toThrow("weight has 5 elements but shape [2, 3] needs 6");
  });
  it("splitAtAxis gives outer, channel and inner counts", () => {
    expect(splitAtAxis([2, 3, 4], 1)).toEqual({ outer: 2, channels: 3, inner: 4 });
    expect(splitAtAxis([2, 3, 4], -1)).toEqual({ outer: 6, channels: 4, inner: 1 });
  });
});
