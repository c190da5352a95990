import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { _percentileExact, _select } from "../src/_select";
import { PercentileObserver } from "../src/index";

/** numpy's default percentile by a full sort: the obviously-correct reference. */
function sortedPercentile(values: ArrayLike<number>, p: number): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const h = ((s.length - 1) * p) / 100;
  const k = Math.floor(h);
  return k + 1 < s.length ? s[k]! + (h - k) * (s[k + 1]! - s[k]!) : s[k]!;
}

describe("exact percentiles by selection", () => {
  it("_select puts the k-th smallest at k with smaller values before and larger after", () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 1, maxLength: 2000, noNaN: true, noDefaultInfinity: true }),
        fc.nat(),
        (x, r) => {
          const a = x.slice();
          const k = r % a.length;
          _select(a, k);
          const sorted = Array.from(x).sort((p, q) => p - q);
          expect(a[k]).toBe(sorted[k]);
          for (let i = 0; i < k; i++) expect(a[i]! <= a[k]!).toBe(true);
          for (let i = k + 1; i < a.length; i++) expect(a[i]! >= a[k]!).toBe(true);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it("_percentileExact is numpy's R-7 percentile", () => {
    expect(_percentileExact(new Float32Array([1, 2, 3, 4]), 4, 50)).toBe(2.5);
    expect(_percentileExact(new Float32Array([10, 0, 5]), 3, 25)).toBe(2.5);
    expect(_percentileExact(new Float32Array([7]), 1, 99.99)).toBe(7);
    fc.assert(
      fc.property(
        fc.float32Array({
          minLength: 1,
          maxLength: 700,
          noNaN: true,
          noDefaultInfinity: true,
          min: -1e6,
          max: 1e6,
        }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (x, p) => {
          const got = _percentileExact(x.slice(), x.length, p);
          const want = sortedPercentile(x, p);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        },
      ),
      { seed: 12, numRuns: 300 },
    );
  });
});

describe("PercentileObserver", () => {
  it("the deck's example: 99.99 / 0.01 percentiles of 10,001 values drop the one outlier", () => {
    const x = new Float32Array(10_001);
    new Rng(0).fillUniform(x.subarray(0, 10_000), -50, 150);
    x[10_000] = 1000;
    const obs = new PercentileObserver();
    obs.observe(x);
    expect(obs.exact).toBe(true);
    const { minVal, maxVal } = obs.range();
    // h = 10000 * 0.9999 = 9999 exactly: the largest uniform value; h = 1: the second smallest.
    expect(maxVal[0]).toBe(Math.fround(sortedPercentile(x, 99.99)));
    expect(minVal[0]).toBe(Math.fround(sortedPercentile(x, 0.01)));
    expect(maxVal[0]).toBeLessThan(150);
    expect(obs.errorBound()).toEqual({ minVal: 0, maxVal: 0 });
  });

  it("hand-computed: percentile 75 / lowerPercentile 10 of 0..10 across two batches", () => {
    const obs = new PercentileObserver({ percentile: 75, lowerPercentile: 10 });
    obs.observe(new Float32Array([0, 5, 10, 2, 7, 1]));
    obs.observe(new Float32Array([3, 9, 4, 8, 6]));
    const { minVal, maxVal } = obs.range();
    expect([minVal[0], maxVal[0]]).toEqual([1, 7.5]); // h = 10 * 0.1 = 1 -> 1; h = 7.5 -> 7.5
    expect(obs.calculateQParams().scale[0]).toBe(Math.fround(7.5 / 255)); // the range widens to 0
  });

  it("streaming past exactLimit: each end within its error bound (2^-11 relative) of the exact percentile", () => {
    const rng = new Rng(5);
    const obs = new PercentileObserver({ exactLimit: 10_000 });
    const all: number[] = [];
    for (let b = 0; b < 10; b++) {
      const x = rng.fillNormal(new Float32Array(20_000), 0.5, 2);
      for (let i = 0; i < 10; i++) x[rng.int(x.length)] = rng.uniform(-400, 400);
      obs.observe(x);
      all.push(...x);
      if (b === 0) expect(obs.exact).toBe(false);
    }
    expect(obs.total).toBe(200_000);
    for (const [p, end] of [
      [99.99, "maxVal"],
      [0.01, "minVal"],
    ] as const) {
      const want = sortedPercentile(all, p);
      const got = obs.range()[end][0]!;
      const bound = obs.errorBound()[end];
      expect(bound).toBeLessThanOrEqual(Math.abs(want) * 2 ** -11 + 1e-30);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(bound * 1.000001);
    }
  });

  it("the histogram answer does not depend on batch order or batch sizes", () => {
    const x = new Rng(8).fillNormal(new Float32Array(50_000));
    const a = new PercentileObserver({ exactLimit: 0, percentile: 99.9 });
    a.observe(x);
    const b = new PercentileObserver({ exactLimit: 0, percentile: 99.9 });
    const perm = new Rng(9).permutation(x.length);
    const shuffled = Float32Array.from(perm, (i) => x[i]!);
    for (let i = 0; i < shuffled.length; i += 7_000) b.observe(shuffled.subarray(i, i + 7_000));
    expect(a.range()).toEqual(b.range());
  });

  it("symmetric qscheme: scale from max(|lower|, upper)", () => {
    const obs = new PercentileObserver({ percentile: 90, dtype: "qint8", qscheme: "per_tensor_symmetric" });
    obs.observe(Float32Array.from({ length: 11 }, (_, i) => i - 8)); // -8..2
    const { minVal, maxVal } = obs.range();
    expect([minVal[0], maxVal[0]]).toEqual([-7, 1]); // h = 1 and h = 9
    expect(obs.calculateQParams().scale[0]).toBe(Math.fround(7 / 127.5));
  });
});
