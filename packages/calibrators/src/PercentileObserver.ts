import { _LogHistogram } from "./_logHistogram";
import { _ObserverBase } from "./_observerBase";
import { _percentileSettings } from "./_percentileOptions";
import { _firstNonFinite } from "./_scan";
import { _percentileExact } from "./_select";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link PercentileObserver}. */
export interface PercentileObserverOptions extends ObserverOptions {
  /** The upper percentile in (0, 100]. Default 99.99 (the deck's). */
  percentile?: number;
  /** The lower percentile in [0, percentile]. Default 100 - percentile (0.01). */
  lowerPercentile?: number;
  /**
   * Up to this many values in all, the observer keeps them and selects the exact percentiles; past it,
   * it switches to a float32 bit-pattern histogram. Default 65,536.
   */
  exactLimit?: number;
  /** Mantissa bits of the histogram buckets, 0..15: relative error bound 2^-mantissaBits. Default 11. */
  mantissaBits?: number;
}

const f32 = Math.fround;

/**
 * The deck's percentile range: [lowerPercentile, percentile] of everything observed (default the 0.01th
 * and 99.99th), so that a few outliers do not stretch the scale. Percentiles interpolate between order
 * statistics as numpy's default.
 *
 * - While at most `exactLimit` values (default 65,536) have been observed, the answer is exact: the
 *   values are kept and the two order statistics found by selection (Floyd-Rivest, O(n)), not a sort.
 * - Past that, values go into a histogram over float32 bit patterns (2^mantissaBits buckets per power of
 *   two, no range needed, independent of batch order, one cheap pass a batch). Each percentile is then
 *   within 2^-mantissaBits times its magnitude of the exact one (0.05% by default; {@link errorBound}).
 *
 * For a symmetric qscheme the range is [lower, upper] and `calculateQParams` takes max(|lower|, upper).
 *
 * @example
 * const x = new Float32Array(10_001).map((_, i) => (i % 1000) / 10); // 0 .. 99.9
 * x[0] = 1000; // one outlier
 * const obs = new PercentileObserver();
 * obs.observe(x);
 * obs.range().maxVal[0]; // 99.9: the outlier is ignored
 */
export class PercentileObserver extends _ObserverBase {
  readonly percentile: number;
  readonly lowerPercentile: number;
  readonly exactLimit: number;
  readonly mantissaBits: number;
  private buffer = new Float32Array(0);
  private count = 0;
  private hist: _LogHistogram | undefined;

  constructor(options: PercentileObserverOptions = {}) {
    super("PercentileObserver", options, {
      dtype: "quint8",
      qscheme: "per_tensor_affine",
      kind: "per_tensor",
      keys: ["percentile", "lowerPercentile", "exactLimit", "mantissaBits"],
    });
    const s = _percentileSettings(this.name, options, 65_536);
    this.percentile = s.upper;
    this.lowerPercentile = s.lower;
    this.exactLimit = s.exactLimit;
    const mb = options.mantissaBits ?? 11;
    if (!Number.isInteger(mb) || mb < 0 || mb > 15) {
      throw new RangeError(`${this.name}: mantissaBits must be an integer in 0..15, got ${String(mb)}`);
    }
    this.mantissaBits = mb;
  }

  /** True while the observed values are kept and the percentiles are exact. */
  get exact(): boolean {
    return this.hist === undefined;
  }

  /** Values observed so far. */
  get total(): number {
    return this.hist ? this.hist.total : this.count;
  }

  /**
   * A bound on |range() - exact percentiles| for each end: 0 while exact, else the width of the histogram
   * bucket holding each end (at most 2^-mantissaBits of its magnitude).
   */
  errorBound(): { minVal: number; maxVal: number } {
    if (!this.hist) return { minVal: 0, maxVal: 0 };
    const { minVal, maxVal } = this.range();
    return { minVal: this.hist.bucketWidth(minVal[0]!), maxVal: this.hist.bucketWidth(maxVal[0]!) };
  }

  protected observeBatch(x: Float32Array): void {
    if (this.hist) {
      const bad = this.hist.add(x);
      if (bad >= 0) this.throwNonFinite(x, bad);
      return;
    }
    if (this.count + x.length <= this.exactLimit) {
      const bad = _firstNonFinite(x);
      if (bad >= 0) this.throwNonFinite(x, bad);
      if (this.count + x.length > this.buffer.length) {
        const grown = new Float32Array(
          Math.min(this.exactLimit, Math.max(2 * this.buffer.length, this.count + x.length)),
        );
        grown.set(this.buffer.subarray(0, this.count));
        this.buffer = grown;
      }
      this.buffer.set(x, this.count);
      this.count += x.length;
      return;
    }
    // Past exactLimit: move to the histogram (the new batch first, so that a bad batch changes nothing).
    const hist = new _LogHistogram(this.mantissaBits);
    const bad = hist.add(x);
    if (bad >= 0) this.throwNonFinite(x, bad);
    hist.add(this.buffer, 0, this.count);
    this.hist = hist;
    this.buffer = new Float32Array(0);
    this.count = 0;
  }

  protected computeRange(): ObserverRange {
    let lo: number;
    let hi: number;
    if (this.hist) {
      [lo, hi] = this.hist.percentiles([this.lowerPercentile, this.percentile]) as [number, number];
    } else {
      // Selection reorders the kept values, which is harmless: their order does not matter.
      lo = _percentileExact(this.buffer, this.count, this.lowerPercentile);
      hi = _percentileExact(this.buffer, this.count, this.percentile);
    }
    return { minVal: Float32Array.of(f32(lo)), maxVal: Float32Array.of(f32(hi)) };
  }

  protected resetState(): void {
    this.buffer = new Float32Array(0);
    this.count = 0;
    this.hist = undefined;
  }
}
