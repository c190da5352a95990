import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { _klThreshold } from "../src/_klThreshold";
import { EntropyObserver } from "../src/index";

/**
 * TensorRT's pseudo-code (GTC 2017, "8-bit Inference with TensorRT") written out literally: for each i,
 * build P and Q as arrays, normalize both, KL(P || Q); infinite where Q = 0 < P.
 */
function slowKl(hist: number[], levels: number): { bins: number; divergence: number } {
  let used = hist.length;
  while (used > 0 && hist[used - 1] === 0) used--;
  if (used <= levels) return { bins: Math.max(used, 1), divergence: 0 };
  let best = { bins: used, divergence: Number.POSITIVE_INFINITY };
  for (let i = levels; i <= used; i++) {
    const P = hist.slice(0, i);
    P[i - 1]! += hist.slice(i).reduce((a, b) => a + b, 0);
    const Q = new Array<number>(i).fill(0);
    for (let g = 0; g < levels; g++) {
      const members: number[] = [];
      for (let j = 0; j < i; j++) if (Math.floor((j * levels) / i) === g) members.push(j);
      const mass = members.reduce((a, j) => a + hist[j]!, 0);
      const nonEmpty = members.filter((j) => hist[j]! > 0);
      for (const j of nonEmpty) Q[j] = mass / nonEmpty.length;
    }
    const sp = P.reduce((a, b) => a + b, 0);
    const sq = Q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (P[j] === 0) continue;
      if (Q[j] === 0) {
        kl = Number.POSITIVE_INFINITY;
        break;
      }
      kl += (P[j]! / sp) * Math.log(P[j]! / sp / (Q[j]! / sq));
    }
    if (kl < best.divergence) best = { bins: i, divergence: kl };
  }
  return best;
}

describe("EntropyObserver (TensorRT's KL calibration)", () => {
  it("the fast search picks the threshold of the literal pseudo-code", () => {
    const rng = new Rng(4);
    for (let t = 0; t < 6; t++) {
      const bins = 300 + 37 * t;
      const hist = Array.from({ length: bins }, (_, j) =>
        Math.round(1000 * Math.exp(-j / (20 + 15 * t)) * rng.next()),
      );
      hist[bins - 1] = 2; // a far outlier bin
      if (t % 2) hist[bins - 5] = 0;
      const levels = t < 3 ? 128 : 64;
      const fast = _klThreshold(hist, levels);
      const slow = slowKl(hist, levels);
      expect(Math.abs(fast.divergence - slow.divergence)).toBeLessThanOrEqual(1e-9);
      if (fast.bins !== slow.bins) {
        // only a floating-point tie may pick a different candidate
        expect(Math.abs(slowKl(hist.slice(), levels).divergence - fast.divergence)).toBeLessThan(1e-12);
      }
    }
  });

  it("a Gaussian: the threshold sits well inside max|x| (the tails are cut)", () => {
    const x = new Rng(1).fillNormal(new Float32Array(200_000));
    const obs = new EntropyObserver();
    obs.observe(x);
    const { minVal, maxVal } = obs.range();
    let absMax = 0;
    for (const v of x) absMax = Math.max(absMax, Math.abs(v));
    expect(minVal[0]).toBe(-maxVal[0]!);
    // seen: T = 4.17 with max|x| = 4.77 (200,000 samples): the sparse last 13% of the range is cut
    expect(maxVal[0]).toBeGreaterThan(3);
    expect(maxVal[0]).toBeLessThan(0.9 * absMax);
    expect(obs.levels).toBe(128);
    expect(obs.divergence).toBeGreaterThan(0);
    expect(obs.calculateQParams().zeroPoint[0]).toBe(0);
  });

  it("uniform values without outliers: the threshold is near max|x|", () => {
    const obs = new EntropyObserver();
    obs.observe(new Rng(2).fillUniform(new Float32Array(100_000), -4, 4));
    expect(obs.range().maxVal[0]).toBeGreaterThan(0.95 * 4);
  });

  it("affine on non-negative data (after ReLU) uses all 256 levels and a range [0, T]", () => {
    const x = new Rng(3).fillNormal(new Float32Array(50_000)).map(Math.abs);
    const obs = new EntropyObserver({ dtype: "quint8", qscheme: "per_tensor_affine" });
    obs.observe(x);
    expect(obs.levels).toBe(256);
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBeGreaterThanOrEqual(0);
    expect(maxVal[0]).toBeLessThan(obs.maxVal);
  });

  it("fewer populated bins than levels: nothing to clip", () => {
    const obs = new EntropyObserver({ bins: 100 });
    obs.observe(new Float32Array([-1, 0.5, 2]));
    expect(obs.range().maxVal[0]).toBe(2);
  });

  it("across batches the |x| histogram grows and the threshold follows", () => {
    const rng = new Rng(5);
    const obs = new EntropyObserver();
    obs.observe(rng.fillNormal(new Float32Array(50_000), 0, 0.5));
    const first = obs.range().maxVal[0]!;
    obs.observe(rng.fillNormal(new Float32Array(50_000), 0, 2));
    expect(obs.range().maxVal[0]).toBeGreaterThan(first);
    expect(obs.histogram().counts.reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});
