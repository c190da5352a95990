import { isSymmetric } from "@quantkit/quantizers";
import { _klThreshold } from "./_klThreshold";
import { _klWindow } from "./_klWindow";
import { _LinearHistogram } from "./_linearHistogram";
import { _ObserverBase } from "./_observerBase";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link EntropyObserver}. */
export interface EntropyObserverOptions extends ObserverOptions {
  /** Bins of the histogram (of |x| for a symmetric qscheme, of x for an affine one). Default 2048, as TensorRT. */
  bins?: number;
}

const f32 = Math.fround;

/**
 * TensorRT's entropy (KL-divergence) calibration (Migacz 2017; Wu et al. 2020, sec. 4.2): a 2048-bin
 * histogram, and the clipping range whose clipped distribution P (the clipped values folded into the
 * edge bins) loses the least information, KL(P || Q), when quantized to the range's levels and spread
 * back to Q. The threshold is a bin edge (NVIDIA's pytorch-quantization; TensorRT's slides add half a bin).
 *
 * - Symmetric qschemes (the default, `{ dtype: "qint8", qscheme: "per_tensor_symmetric" }`): TensorRT's
 *   procedure as published. A histogram of |x| over [0, max|x|], candidates T from `levels` bins up,
 *   `levels` = (quantMax - quantMin + 1) / 2 (128 for qint8: the codes of one sign); the range is [-T, T].
 * - Affine qschemes: the range [lo, hi] is quantized to all quantMax - quantMin + 1 codes (128 for
 *   PyTorch's 0..127 activations, 256 for 0..255), so the search runs on a histogram of x (not |x|) over
 *   [min(min, 0), max(max, 0)] with that many levels. On non-negative data (after ReLU) it is TensorRT's
 *   one-sided search for hi over [0, max]. On data that crosses zero both ends are searched: windows of
 *   bins that hold 0, the values below a window folded into its first bin and those above into its
 *   last (every window on a coarse grid, then each end at full resolution and the neighbourhood of the
 *   best, until nothing is better; see `_klWindow`, 10-70 ms). A negative side with no tail to cut, such
 *   as the background value of normalized images, keeps the data's min. (Folding |x| instead, as the
 *   symmetric search does, puts that background onto +0.42 and cuts the image's strokes off there.)
 *
 * Exact zeros (±0) are left out of the histogram: every candidate range contains 0 and quantizes it
 * exactly (zero is always a code), so they carry no information about the choice, while their spike in
 * the first bin would bias the search towards narrow ranges (KL charges spreading it over a level's
 * bins, and narrower ranges have narrower levels). pytorch-quantization replaces the first bin's count
 * by the second's for the same reason. Across batches the histogram grid grows by powers of two, so
 * after a batch widens the range the search runs over the populated bins (at least bins / 4 of them)
 * rather than exactly 2048.
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const obs = new EntropyObserver();
 * obs.observe(new Rng(0).fillNormal(new Float32Array(100_000))); // max|x| = 4.39
 * obs.range();            // { minVal: [-4.08], maxVal: [4.08] }
 * obs.calculateQParams(); // qint8, scale 4.08 / 127.5, zeroPoint 0
 *
 * // an activation after ReLU in PyTorch's default 0..127 activation range; half the values are 0
 * const relu = new Rng(0).fillNormal(new Float32Array(100_000)).map((v) => Math.max(v, 0)); // max 4.03
 * const act = new EntropyObserver({ dtype: "quint8", qscheme: "per_tensor_affine", reduceRange: true });
 * act.observe(relu);
 * act.levels;             // 128
 * act.histogram().zeros;  // 49960, left out
 * act.range();            // { minVal: [0], maxVal: [3.95] } (2.01, clipping 4.4% of the positive values, if the zeros counted)
 */
export class EntropyObserver extends _ObserverBase {
  readonly bins: number;
  private hist: _LinearHistogram;
  private lastDivergence = Number.NaN;
  private zeros = 0;

  constructor(options: EntropyObserverOptions = {}) {
    super("EntropyObserver", options, {
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      kind: "per_tensor",
      keys: ["bins"],
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

  /** The KL divergence at the chosen range (after range() or calculateQParams()). */
  get divergence(): number {
    return this.lastDivergence;
  }

  /**
   * The quantization levels the search assumes: (quantMax - quantMin + 1) / 2 for a symmetric qscheme
   * (128 for qint8), quantMax - quantMin + 1 for an affine one (256 for quint8, 128 for 0..127).
   */
  get levels(): number {
    const n = this.quantMax - this.quantMin + 1;
    return isSymmetric(this.qscheme) ? Math.floor(n / 2) : n;
  }

  /**
   * The histogram searched (a copy): of |x| for a symmetric qscheme, of x for an affine one; bin k covers
   * [lo + k binWidth, lo + (k + 1) binWidth). `zeros` counts the exact zeros left out of it.
   */
  histogram(): { lo: number; binWidth: number; counts: Float64Array; zeros: number } {
    return {
      lo: this.hist.lo,
      binWidth: this.hist.width,
      counts: this.hist.counts.slice(),
      zeros: this.zeros,
    };
  }

  protected observeBatch(x: Float32Array): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    if (isSymmetric(this.qscheme)) {
      this.hist.ensureRange(0, Math.max(-min, max), 0);
      this.zeros += this.hist.add(x, 0, x.length, true, true);
    } else {
      const lo = Math.min(min, 0);
      this.hist.ensureRange(lo, Math.max(max, 0), lo);
      this.zeros += this.hist.add(x, 0, x.length, false, true);
    }
    if (min < this.minVal) this.minVal = min;
    if (max > this.maxVal) this.maxVal = max;
  }

  protected computeRange(): ObserverRange {
    const { counts, lo, width } = this.hist;
    let minVal: number;
    let maxVal: number;
    if (isSymmetric(this.qscheme)) {
      const absMax = Math.max(-this.minVal, this.maxVal);
      const { bins, divergence } = _klThreshold(counts, this.levels);
      this.lastDivergence = divergence;
      maxVal = Math.min(bins * width, absMax);
      minVal = -maxVal;
    } else {
      const zeroBin = Math.min(Math.max(Math.floor((0 - lo) / width), 0), this.bins - 1);
      const w = _klWindow(counts, this.levels, zeroBin);
      this.lastDivergence = w.divergence;
      minVal = Math.max(this.minVal, lo + w.lo * width);
      maxVal = Math.min(this.maxVal, lo + w.hi * width);
    }
    return { minVal: Float32Array.of(f32(minVal)), maxVal: Float32Array.of(f32(maxVal)) };
  }

  protected resetState(): void {
    this.hist = new _LinearHistogram(this.bins);
    this.minVal = Number.POSITIVE_INFINITY;
    this.maxVal = Number.NEGATIVE_INFINITY;
    this.lastDivergence = Number.NaN;
    this.zeros = 0;
  }
}
