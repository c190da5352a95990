import { minMaxVsPercentile } from "@quantkit/calibrators";
import { describe, expect, it } from "vitest";
import { deckObserverOptions, RANGE_METHODS, runRangeExperiment } from "./rangeExperiment";

describe("deckObserverOptions", () => {
  it("uses section 4's integer ranges", () => {
    expect(deckObserverOptions(8, "asymmetric")).toEqual({
      dtype: "quint8",
      qscheme: "per_tensor_affine",
      quantMin: 0,
      quantMax: 255,
    });
    expect(deckObserverOptions(4, "symmetric")).toEqual({
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      quantMin: -7,
      quantMax: 7,
    });
  });
});

describe("runRangeExperiment", () => {
  it("reproduces the deck's min-max vs percentile figures (MSE without the outlier: 1.39 vs 0.05)", () => {
    const { rows, n, outliers } = runRangeExperiment({
      kind: "outlier",
      bits: 8,
      scheme: "asymmetric",
      methods: ["minmax", "percentile"],
    });
    expect(n).toBe(10_001);
    expect(outliers).toEqual([10_000]);
    const [minmax, percentile] = rows;
    expect(minmax!.maxVal).toBe(1000);
    expect(minmax!.mseInliers).toBeGreaterThan(1.3);
    expect(minmax!.mseInliers).toBeLessThan(1.5);
    expect(percentile!.mseInliers).toBeGreaterThan(0.04);
    expect(percentile!.mseInliers).toBeLessThan(0.06);
    // and only the outlier pays for it
    expect(percentile!.mseOutliers).toBeGreaterThan(700_000);
    // the same numbers as the calibrators' own notebook function
    const deck = minMaxVsPercentile({ methods: ["minmax", "percentile"] });
    expect(rows.map((r) => r.mseInliers)).toEqual(deck.rows.map((r) => r.mseInliers));
  });

  it("runs every method of the section, no range wider than the data's", () => {
    const { rows } = runRangeExperiment({ kind: "normal", bits: 4, scheme: "symmetric" });
    expect(rows.map((r) => r.method)).toEqual(RANGE_METHODS.map((m) => m.method));
    const minmax = rows[0]!;
    // symmetric: every method picks a threshold T for [-T, T], at most max|x|
    const maxAbs = Math.max(-minmax.minVal, minmax.maxVal);
    for (const r of rows) {
      expect(Math.max(-r.minVal, r.maxVal)).toBeLessThanOrEqual(maxAbs * (1 + 1e-6));
      expect(Number.isFinite(r.mseInliers)).toBe(true);
    }
    // on a bell curve at 4 bits, clipping the tails beats covering them
    const mse = rows.find((r) => r.method === "mse")!;
    expect(mse.mseInliers).toBeLessThan(minmax.mseInliers);
  });
});
