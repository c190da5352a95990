import { describe, expect, it } from "vitest";
import { benchData, benchObservers, formatObserverBench } from "../bench/observers.bench";

describe("the deck's experiments", () => {
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
    // The min-max row by hand: the data's own min and max, and the error of fake-quantizing with them,
    // summed here (about scale^2 / 12, uniform rounding noise), the SQNR from the same sums.
    const x = benchData(4096);
    let [lo, hi] = [0, 0];
    for (const v of x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect([base.minVal, base.maxVal]).toEqual([lo, hi]);
    const scale = Math.fround(Math.fround(hi - lo) / 255);
    const zeroPoint = -Math.round(lo / scale);
    let [err, power] = [0, 0];
    for (const v of x) {
      const q = Math.min(255, Math.max(0, Math.round(v * (1 / scale)) + zeroPoint));
      err += (v - (q - zeroPoint) * scale) ** 2;
      power += v * v;
    }
    expect(base.mse).toBeCloseTo(err / 4096, 6);
    expect(base.mse / (scale ** 2 / 12)).toBeGreaterThan(0.8);
    expect(base.mse / (scale ** 2 / 12)).toBeLessThan(1.2);
    expect(base.sqnrDb).toBeCloseTo(10 * Math.log10(power / err), 3);
    expect(formatObserverBench(rows)).toContain("PercentileObserver");
  });
});
