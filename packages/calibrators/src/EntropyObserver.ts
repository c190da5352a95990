import { isSymmetric } from "@quantkit/quantizers";
import { _klThreshold } from "./_klThreshold";
import { _LinearHistogram } from "./_linearHistogram";
import { _ObserverBase } from "./_observerBase";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link EntropyObserver}. */
export interface EntropyObserverOptions extends ObserverOptions {
  /** Bins of the |x| histogram. Default 2048, as TensorRT. */
  bins?: number;
}

const f32 = Math.fround;

/**
 * TensorRT's entropy (KL-divergence) calibration, as Wu et al. 2020 describe it: a histogram of |x|
 * (2048 bins over [0, max|x|]), and the threshold T whose clipped distribution P (outliers folded into
 * the last bin) loses the least information, KL(P || Q), when quantized to the available levels and
 * expanded back to Q. Candidates start at `levels` bins: 128 for a signed or symmetric 8-bit range
 * ((quantMax - quantMin + 1) / 2), 256 for an affine unsigned range over non-negative data (after ReLU).
 * The threshold is the candidate's bin edge, i * binWidth (NVIDIA's pytorch-quantization; TensorRT's
 * slides add half a bin).
 *
 * The result is symmetric, [-T, T] (default `{ dtype: "qint8", qscheme: "per_tensor_symmetric" }`); with
 * an affine qscheme it is [max(min, -T), min(max, T)]. Across batches the histogram grid grows by
 * powers of two, so after a batch widens the range the search runs over the populated bins (at least
 * bins / 4 of them) rather than exactly 2048.
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const obs = new EntropyObserver();
 * obs.observe(new Rng(0).fillNormal(new Float32Array(100_000))); // max|x| = 4.39
 * obs.range();            // { minVal: [-4.08], maxVal: [4.08] }
 * obs.calculateQParams(); // qint8, scale 4.08 / 127.5, zeroPoint 0
 */
export class EntropyObserver extends _ObserverBase {
  readonly bins: number;
  private hist: _LinearHistogram;
  private lastDivergence = Number.NaN;

  constructor(options: EntropyObserverOptions = {}) {
    super("EntropyObserver", options, {
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      kind: "per_tensor",
    });
    const bins = options.bins ?? 2048;
    if (!Number.isInteger(bins) || bins < 2 || bins > 2 ** 24) {
      throw new RangeError(`${this.name}: bins must be an integer in 2..2^24, got ${String(bins)}`);
    }
    this.bins = bins;
    this.hist = new _LinearHistogram(bins);
  }

  /** The observed minimum and maximum of x (exact). */
  minVal = Number.POSITIVE_INFINITY;
  maxVal = Number.NEGATIVE_INFINITY;

  /** The KL divergence at the chosen threshold (after range() or calculateQParams()). */
  get divergence(): number {
    return this.lastDivergence;
  }

  /** The quantization levels the search assumes for |x| (128 for qint8). */
  get levels(): number {
    const n = this.quantMax - this.quantMin + 1;
    return !isSymmetric(this.qscheme) && this.minVal >= 0 ? n : Math.floor(n / 2);
  }

  /** The |x| histogram: bin width and counts (a copy). */
  histogram(): { binWidth: number; counts: Float64Array } {
    return { binWidth: this.hist.width, counts: this.hist.counts.slice() };
  }

  protected observeBatch(x: Float32Array): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    this.hist.ensureRange(0, Math.max(-min, max), 0);
    this.hist.add(x, 0, x.length, true);
    if (min < this.minVal) this.minVal = min;
    if (max > this.maxVal) this.maxVal = max;
  }

  protected computeRange(): ObserverRange {
    const absMax = Math.max(-this.minVal, this.maxVal);
    const { bins, divergence } = _klThreshold(this.hist.counts, this.levels);
    this.lastDivergence = divergence;
    const t = Math.min(bins * this.hist.width, absMax);
    const lo = isSymmetric(this.qscheme) ? -t : Math.max(this.minVal, -t);
    const hi = isSymmetric(this.qscheme) ? t : Math.min(this.maxVal, t);
    return { minVal: Float32Array.of(f32(lo)), maxVal: Float32Array.of(f32(hi)) };
  }

  protected resetState(): void {
    this.hist = new _LinearHistogram(this.bins);
    this.minVal = Number.POSITIVE_INFINITY;
    this.maxVal = Number.NEGATIVE_INFINITY;
    this.lastDivergence = Number.NaN;
  }
}
