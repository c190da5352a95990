import { roundHalfToEven } from "@quantkit/quantizers";
import type { _LinearHistogram } from "./_linearHistogram";

/**
 * The squared error of fake quantization, integrated over a histogram taken as a piecewise-constant
 * density (each bin's values spread evenly over the bin, the model of PyTorch's
 * `_compute_quantization_error`): for scale s, zero point z and codes [quantMin, quantMax], the sum over
 * codes q of the integral of density(x) (x - (q - z) s)^2 over the values that quantize to q (everything
 * below the first cell clamps to quantMin, everything above the last to quantMax).
 *
 * Cumulative moments of the density make each code O(1), so one candidate costs O(codes touched by the
 * data), at most quantMax - quantMin + 1, whatever the number of bins. The model's error against the true
 * fake-quantization error is at most about width^2 / 12 per value, small when bins are much narrower than
 * a quantization step.
 */
export class _HistogramError {
  private readonly lo: number;
  private readonly width: number;
  private readonly bins: number;
  private readonly counts: Float64Array;
  private readonly m0: Float64Array;
  private readonly m1: Float64Array;
  private readonly m2: Float64Array;
  readonly total: number;
  readonly min: number;
  readonly max: number;

  constructor(h: _LinearHistogram) {
    this.lo = h.lo;
    this.width = h.width;
    this.bins = h.bins;
    this.counts = h.counts;
    this.total = h.total;
    this.min = h.min;
    this.max = h.max;
    const n = h.bins;
    this.m0 = new Float64Array(n + 1);
    this.m1 = new Float64Array(n + 1);
    this.m2 = new Float64Array(n + 1);
    const w = h.width;
    for (let k = 0; k < n; k++) {
      const c = h.counts[k]!;
      const center = h.lo + (k + 0.5) * w;
      this.m0[k + 1] = this.m0[k]! + c;
      this.m1[k + 1] = this.m1[k]! + c * center;
      this.m2[k + 1] = this.m2[k]! + c * (center * center + (w * w) / 12);
    }
  }

  /** Integrals of density * x^j (j = 0, 1, 2) from -Infinity to t, into out[0..2]. */
  private moments(t: number, out: Float64Array): void {
    const u = (t - this.lo) / this.width;
    if (!(u > 0)) {
      out[0] = 0;
      out[1] = 0;
      out[2] = 0;
      return;
    }
    if (u >= this.bins) {
      out[0] = this.m0[this.bins]!;
      out[1] = this.m1[this.bins]!;
      out[2] = this.m2[this.bins]!;
      return;
    }
    const k = Math.floor(u);
    const e = this.lo + k * this.width;
    const rho = this.counts[k]! / this.width;
    out[0] = this.m0[k]! + rho * (t - e);
    out[1] = this.m1[k]! + (rho * (t * t - e * e)) / 2;
    out[2] = this.m2[k]! + (rho * (t * t * t - e * e * e)) / 3;
  }

  /** Estimated sum of (x - fakeQuantize(x))^2 over the histogram for (scale, zeroPoint). */
  squaredError(scale: number, zeroPoint: number, quantMin: number, quantMax: number): number {
    const code = (v: number) => {
      const q = roundHalfToEven(v / scale) + zeroPoint;
      return q < quantMin ? quantMin : Math.min(q, quantMax);
    };
    const qa = code(this.min);
    const qb = code(this.max);
    const prev = new Float64Array(3);
    const cur = new Float64Array(3);
    let err = 0;
    for (let q = qa; q <= qb; q++) {
      if (q === qb) {
        cur[0] = this.m0[this.bins]!;
        cur[1] = this.m1[this.bins]!;
        cur[2] = this.m2[this.bins]!;
      } else {
        this.moments((q - zeroPoint + 0.5) * scale, cur);
      }
      const xq = (q - zeroPoint) * scale;
      err += cur[2]! - prev[2]! - 2 * xq * (cur[1]! - prev[1]!) + xq * xq * (cur[0]! - prev[0]!);
      prev.set(cur);
    }
    return Math.max(err, 0);
  }

  /**
   * A cheaper model of {@link squaredError}, O(1) a candidate: the values beyond the two extreme levels
   * cost their exact squared clipping distance, every value in between scale^2 / 12 (uniform rounding
   * noise). Ranks the coarse grid of the range search.
   */
  approxSquaredError(scale: number, zeroPoint: number, quantMin: number, quantMax: number): number {
    const a = (quantMin - zeroPoint) * scale;
    const b = (quantMax - zeroPoint) * scale;
    const at = new Float64Array(3);
    const bt = new Float64Array(3);
    this.moments(a, at);
    this.moments(b, bt);
    const n = this.bins;
    const below = at[2]! - 2 * a * at[1]! + a * a * at[0]!;
    const above = this.m2[n]! - bt[2]! - 2 * b * (this.m1[n]! - bt[1]!) + b * b * (this.m0[n]! - bt[0]!);
    const inside = ((bt[0]! - at[0]!) * scale * scale) / 12;
    return Math.max(below, 0) + Math.max(above, 0) + inside;
  }
}
