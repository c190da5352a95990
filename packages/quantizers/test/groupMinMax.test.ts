import { describe, expect, it } from "vitest";
import { groupMinMax } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";

describe("bad input gets a clear error, never a silent NaN", () => {
  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    const x = new Float32Array(12);
    expect(() => groupMinMax(x, [3, 4], 1, 3)).toThrow("groupSize = 3 does not divide shape[1] = 4");
  });
});

describe("per-group helpers", () => {
  it("groupMinMax and calculateGroupQParams lay out one pair per group, row-major", () => {
    const x = new Float32Array([1, -2, 3, 4, 0, 5, -6, 7]);
    const { min, max } = groupMinMax(x, [2, 4], 1, 2);
    expect(Array.from(min)).toEqual([-2, 3, 0, -6]);
    expect(Array.from(max)).toEqual([1, 4, 5, 7]);
    // groups along axis 0 of a [4, 2] tensor: pairs [2, 2]
    const y = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const g0 = groupMinMax(y, [4, 2], 0, 2);
    expect(Array.from(g0.min)).toEqual([1, 2, 5, 6]);
    expect(Array.from(g0.max)).toEqual([3, 4, 7, 8]);
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      expect(() => groupMinMax(y, [4, 10_000], 1, 100)).toThrow(message);
    }
  });
});
