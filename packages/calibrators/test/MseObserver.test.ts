import { calculateQParams, fakeQuantize, mse } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { _HistogramError } from "../src/_histogramError";
import { _LinearHistogram } from "../src/_linearHistogram";
import { MseObserver } from "../src/index";

/** The true MSE of fake quantization with the qparams of [lo, hi]: quantizers' fakeQuantize and mse. */
function trueMse(x: Float32Array, lo: number, hi: number, options = {}): number {
  return mse(x, fakeQuantize(x, [x.length], calculateQParams(Math.fround(lo), Math.fround(hi), options)));
}

function data(seed: number, n: number): Float32Array {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n), 1, 2);
  for (let i = 0; i < n; i += 250) x[i] = rng.uniform(15, 40); // a heavy right tail
  return x;
}

describe("histogram estimate of the fake-quantization error", () => {
  it("is within a few percent of the true MSE for scales much wider than a bin", () => {
    const x = data(1, 20_000);
    const h = new _LinearHistogram(8192);
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    for (const v of x) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    h.ensureRange(mn, mx);
    h.add(x);
    const e = new _HistogramError(h);
    for (const [lo, hi] of [
      [mn, mx],
      [-4, 8],
      [-2, 20],
      [0, 5],
    ] as const) {
      const q = calculateQParams(Math.fround(lo), Math.fround(hi));
      const est = e.squaredError(q.scale[0]!, q.zeroPoint[0]!, 0, 255) / x.length;
      const exact = trueMse(x, lo, hi);
      expect(Math.abs(est - exact) / exact).toBeLessThan(0.03);
    }
  });
});

describe("MseObserver", () => {
  it("finds a range as good as a brute-force search of the true MSE over raw values (within 1%)", () => {
    const x = data(2, 4000);
    const obs = new MseObserver();
    obs.observe(x.subarray(0, 2500));
    obs.observe(x.subarray(2500));
    const { minVal, maxVal } = obs.range();
    const picked = trueMse(x, minVal[0]!, maxVal[0]!);
    let mn = 0;
    let mx = 0;
    for (const v of x) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    let best = Number.POSITIVE_INFINITY;
    for (let i = 1; i <= 40; i++) {
      for (let j = 1; j <= 40; j++) best = Math.min(best, trueMse(x, (mn * i) / 40, (mx * j) / 40));
    }
    expect(picked).toBeLessThanOrEqual(best * 1.01);
    expect(picked).toBeLessThanOrEqual(trueMse(x, mn, mx));
    expect(obs.mse).toBeGreaterThan(0);
    expect(Math.abs(obs.mse - picked) / picked).toBeLessThan(0.05);
  });

  it("keeps the whole range of uniform data without outliers", () => {
    const x = new Rng(3).fillUniform(new Float32Array(20_000), -1, 3);
    const obs = new MseObserver();
    obs.observe(x);
    expect(obs.range().maxVal[0]).toBeGreaterThan(2.95);
    expect(obs.range().minVal[0]).toBeLessThan(-0.95);
  });

  it("symmetric: a one-parameter search [-m a, m a], as good as brute force", () => {
    const x = data(4, 3000);
    const opts = { dtype: "qint8" as const, qscheme: "per_tensor_symmetric" as const };
    const obs = new MseObserver(opts);
    obs.observe(x);
    const { minVal, maxVal } = obs.range();
    expect(minVal[0]).toBe(-maxVal[0]!);
    let m = 0;
    for (const v of x) m = Math.max(m, Math.abs(v));
    let best = Number.POSITIVE_INFINITY;
    for (let i = 1; i <= 400; i++) best = Math.min(best, trueMse(x, (-m * i) / 400, (m * i) / 400, opts));
    expect(trueMse(x, minVal[0]!, maxVal[0]!, opts)).toBeLessThanOrEqual(best * 1.01);
  });
});
