import { describe, expect, it } from "vitest";
import { calculateQParams, granularityOf, validateQParams } from "../src/index";

describe("granularityOf / validateQParams", () => {
  it("calculateQParams carries axis and groupSize; granularityOf reads them", () => {
    const q = calculateQParams([-1, -2], [1, 2], {
      dtype: "qint8",
      qscheme: "per_channel_symmetric",
      axis: 1,
    });
    expect(q.axis).toBe(1);
    expect(granularityOf(q)).toBe("per_channel");
    expect(granularityOf({ ...q, groupSize: 8 })).toBe("per_group");
    expect(granularityOf(calculateQParams(-1, 1))).toBe("per_tensor");
    expect(() => validateQParams(q, [16, 2])).not.toThrow();
    expect(() => validateQParams(q, [16, 3])).toThrow(
      "qparams.scale has 2 values, expected 3 (one per channel along the axis)",
    );
  });
});
