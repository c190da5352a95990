import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { PerChannelPercentileObserver } from "../src/index";

/** numpy's default percentile by a full sort: the obviously-correct reference. */
function sortedPercentile(values: ArrayLike<number>, p: number): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const h = ((s.length - 1) * p) / 100;
  const k = Math.floor(h);
  return k + 1 < s.length ? s[k]! + (h - k) * (s[k + 1]! - s[k]!) : s[k]!;
}

describe("PerChannelPercentileObserver", () => {
  it("exact per channel along any axis", () => {
    const x = new Rng(1).fillNormal(new Float32Array(3 * 50 * 4));
    const shape = [3, 50, 4];
    const obs = new PerChannelPercentileObserver({ chAxis: 2, percentile: 95 });
    obs.observe(x, shape);
    const { minVal, maxVal } = obs.range();
    for (let c = 0; c < 4; c++) {
      const vals = Array.from(x).filter((_, k) => k % 4 === c);
      expect(maxVal[c]).toBe(Math.fround(sortedPercentile(vals, 95)));
      expect(minVal[c]).toBe(Math.fround(sortedPercentile(vals, 5)));
    }
    expect(obs.calculateQParams().axis).toBe(2);
  });

  it("past exactLimit: per-channel histograms, each end within one bin width", () => {
    const rng = new Rng(2);
    const obs = new PerChannelPercentileObserver({ chAxis: 0, exactLimit: 1000, percentile: 99 });
    const chans: number[][] = [[], []];
    for (let b = 0; b < 4; b++) {
      const x = new Float32Array(2 * 5000);
      for (let i = 0; i < 5000; i++) {
        x[i] = rng.normal(0, 1 + b); // channel 0 widens batch after batch: the grid grows
        x[5000 + i] = rng.uniform(-3, 10);
      }
      obs.observe(x, [2, 5000]);
      chans[0]!.push(...x.subarray(0, 5000));
      chans[1]!.push(...x.subarray(5000));
    }
    expect(obs.exact).toBe(false);
    const bound = obs.errorBound();
    const { minVal, maxVal } = obs.range();
    for (let c = 0; c < 2; c++) {
      expect(bound[c]).toBeGreaterThan(0);
      expect(Math.abs(maxVal[c]! - sortedPercentile(chans[c]!, 99))).toBeLessThanOrEqual(bound[c]! * 1.0001);
      expect(Math.abs(minVal[c]! - sortedPercentile(chans[c]!, 1))).toBeLessThanOrEqual(bound[c]! * 1.0001);
    }
  });
});
