import { describe, expect, it } from "vitest";
import { minMaxVsPercentileReport } from "../examples/minmax-vs-percentile";
import { minMaxVsPercentile } from "../src/index";

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
});
