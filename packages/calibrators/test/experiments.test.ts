import { describe, expect, it } from "vitest";
import { benchObservers, formatObserverBench } from "../bench/observers.bench";
import { fromScratch, fromScratchReport } from "../examples/from-scratch";
import { minMaxVsPercentileReport } from "../examples/minmax-vs-percentile";
import { compareObservers, createObserver, minMaxVsPercentile, OBSERVER_NAMES } from "../src/index";

describe("the deck's experiments", () => {
  it("min-max vs percentile: MSE over the inliers about 1.4 for min-max and 0.05 for the 99.99th percentile", () => {
    const { x, outlierIndex, rows } = minMaxVsPercentile();
    expect(x.length).toBe(10_001);
    expect(x[outlierIndex]).toBe(1000);
    const by = Object.fromEntries(rows.map((r) => [r.method, r]));
    // uniform rounding noise is scale^2 / 12: (1050 / 255)^2 / 12 = 1.41 and (200 / 255)^2 / 12 = 0.051
    expect(by.minmax!.maxVal).toBe(1000);
    expect(by.minmax!.mseInliers).toBeGreaterThan(1.3);
    expect(by.minmax!.mseInliers).toBeLessThan(1.5);
    expect(by.percentile!.maxVal).toBeLessThan(150);
    expect(by.percentile!.mseInliers).toBeGreaterThan(0.045);
    expect(by.percentile!.mseInliers).toBeLessThan(0.056);
    expect(by.minmax!.mseInliers / by.percentile!.mseInliers).toBeGreaterThan(20);
    // KL clips the outlier like the percentile; PyTorch's histogram search and the MSE over all values keep
    // it (clipping 1000 to 150 costs 850^2 / 10,001 = 72 of MSE); one softmax row is dominated by it.
    // KL's upper end is the edge of the bin that holds the inliers' max (bins of (1000 + 49.98) / 2048).
    expect(by.entropy!.maxVal).toBeGreaterThan(149.98);
    expect(by.entropy!.maxVal).toBeLessThan(150 + 1050 / 2048);
    expect(by.entropy!.mseInliers).toBeLessThan(0.056);
    expect(by.histogram!.maxVal).toBeGreaterThan(990);
    expect(by.mse!.maxVal).toBeGreaterThan(900);
    expect(by.mse!.mseAll).toBeLessThanOrEqual(by.minmax!.mseAll);
    expect(by.crossentropy!.maxVal).toBeGreaterThan(900);
    const report = minMaxVsPercentileReport().text;
    expect(report).toMatch(/min-max 1\.4\d vs percentile 0\.05\d/);
    // The report's ratio is the one computed here from the rows, not a figure typed into it.
    const ratio = (by.minmax!.mseInliers / by.percentile!.mseInliers).toFixed(1);
    expect(report).toContain(`(${ratio}x;`);
    expect(Number(ratio)).toBeGreaterThan(20);
  });

  it("from scratch: the deck's formulas and MinMaxObserver + quantize give the same integers", () => {
    const r = fromScratch();
    expect(r.rows).toHaveLength(20);
    expect(r.observerAgrees).toEqual({ asymmetric: true, symmetric: true });
    const xs = r.rows.map((row) => row.x);
    const [mn, mx] = [Math.min(...xs), Math.max(...xs)];
    expect(r.asymmetric.scale).toBe(Math.fround(Math.fround(mx - mn) / 255));
    expect(r.asymmetric.zeroPoint).toBe(-Math.round(mn / r.asymmetric.scale));
    for (const row of r.rows) {
      expect(Math.abs(row.asymmetricDequantized - row.x)).toBeLessThanOrEqual(r.asymmetric.scale / 2 + 1e-4);
      expect(Math.abs(row.symmetricDequantized - row.x)).toBeLessThanOrEqual(r.symmetric.scale / 2 + 1e-4);
    }
    // rounding noise about scale^2 / 12; symmetric wastes the unused negative codes: a coarser scale
    expect(r.symmetric.scale).toBeGreaterThan(r.asymmetric.scale);
    expect(r.asymmetric.mse).toBeLessThan(r.asymmetric.scale ** 2 / 4);
    expect(fromScratchReport()).toContain("same integers: asymmetric true, symmetric true");
  });

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

  it("the benchmark function measures every observer (a tiny run, not a timing)", async () => {
    const rows = await benchObservers({ sizes: [4096], repeats: 1 });
    expect(rows.map((r) => r.method)).toEqual([
      "minmax",
      "moving_average_minmax",
      "percentile",
      "histogram",
      "mse",
      "entropy",
      "crossentropy",
      "per_channel_minmax",
      "per_channel_percentile",
      "per_channel_mse",
    ]);
    const base = rows[0]!;
    for (const r of rows) {
      // Ratios are the row's times over MinMaxObserver's, taken in the same run.
      expect(r.ratioToMinMax).toBe(r.medianMs / base.medianMs);
      expect(r.minRatioToMinMax).toBe(r.minMs / base.minMs);
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.medianMs).toBeLessThanOrEqual(r.maxMs);
      expect(Number.isFinite(r.mse) && r.mse > 0).toBe(true);
      expect(r.minVal).toBeLessThan(r.maxVal);
    }
    expect(formatObserverBench(rows)).toContain("PercentileObserver");
  });
});

describe("createObserver", () => {
  it("builds every named observer; per-channel qschemes pick the per-channel class", () => {
    const names = OBSERVER_NAMES.map((n) => createObserver(n).name);
    expect(names).toEqual([
      "MinMaxObserver",
      "MovingAverageMinMaxObserver",
      "PerChannelMinMaxObserver",
      "MovingAveragePerChannelMinMaxObserver",
      "HistogramObserver",
      "PercentileObserver",
      "PerChannelPercentileObserver",
      "MseObserver",
      "PerChannelMseObserver",
      "EntropyObserver",
      "CrossEntropyObserver",
    ]);
    const pc = { qscheme: "per_channel_symmetric" as const, dtype: "qint8" as const };
    expect(createObserver("minmax", pc).name).toBe("PerChannelMinMaxObserver");
    expect(createObserver("moving_average_minmax", pc).name).toBe("MovingAveragePerChannelMinMaxObserver");
    expect(createObserver("percentile", pc).name).toBe("PerChannelPercentileObserver");
    expect(createObserver("mse", pc).name).toBe("PerChannelMseObserver");
    expect(createObserver("entropy").dtype).toBe("qint8");
    expect(createObserver("percentile", { percentile: 99.9 }).qscheme).toBe("per_tensor_affine");
  });
});
