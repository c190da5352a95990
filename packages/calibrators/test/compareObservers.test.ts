import { describe, expect, it } from "vitest";
import { compareObservers } from "../src/index";

describe("the deck's experiments", () => {
  it("compareObservers reports per method, with outliers split out", () => {
    const rows = compareObservers(new Float32Array([-1, 0, 0.5, 1, 40]), {
      methods: ["minmax", "percentile"],
      outliers: [4],
      perMethod: { percentile: { percentile: 75 } },
    });
    expect(rows.map((r) => r.maxVal)).toEqual([40, 1]);
    expect(rows[1]!.mseOutliers).toBeCloseTo((40 - 1) ** 2, 3);
    expect(() => compareObservers(new Float32Array(3), { outliers: [3] })).toThrow(
      /outliers must hold indices in 0..2, got 3/,
    );
  });
});
