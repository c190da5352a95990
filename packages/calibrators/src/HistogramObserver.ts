import { DTYPES } from "@quantkit/quantizers";
import { _ObserverBase } from "./_observerBase";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link HistogramObserver}. */
export interface HistogramObserverOptions extends ObserverOptions {
  /** Histogram bins, an integer >= 2. Default 2048, as PyTorch. */
  bins?: number;
  /**
   * How finely an old histogram is resampled when a batch widens the range: each old bin is split into
   * `upsampleRate` equal parts whose midpoints are re-binned. Default 16, PyTorch's (fixed there).
   */
  upsampleRate?: number;
}

const f32 = Math.fround;

/**
 * `torch.histc(x, bins, min, max)` on float32 data, added into `out` (float64 counts): the bin of v is
 * trunc(((v - min) * bins) / (max - min)) with every operation rounded to float32 as ATen's kernel does,
 * v == max goes into the last bin, values outside [min, max] are skipped, and min == max widens the
 * range to [min - 1, max + 1] as histc does. Valid for finite min <= max.
 */
export function _histc(x: Float32Array, bins: number, min: number, max: number, out: Float64Array): void {
  let lo = f32(min);
  let hi = f32(max);
  if (lo === hi) {
    lo = f32(lo - 1);
    hi = f32(hi + 1);
  }
  const span = f32(hi - lo);
  const last = bins - 1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= lo && v <= hi)) continue;
    // f32(v - lo) * bins is exact in float64 for bins < 2^29, so one f32() rounds it as float32 would.
    let pos = Math.trunc(f32(f32(f32(v - lo) * bins) / span));
    if (pos > last) pos = last;
    out[pos]! += 1;
  }
}

/** `torch.linspace(start, end, steps)` in float32: the first half counts up from start, the rest down from end. */
export function _linspace32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  const s = f32(start);
  const e = f32(end);
  if (steps === 1) {
    out[0] = s;
    return out;
  }
  const step = f32(f32(e - s) / (steps - 1));
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    out[i] = i < half ? f32(s + f32(step * i)) : f32(e - f32(step * (steps - i - 1)));
  }
  return out;
}

/**
 * PyTorch's `_upscale_histogram`: splits each bin of a histogram over [origMin, origMax] into
 * `upsampleRate` parts carrying an equal share, and drops each part's midpoint into the bins of
 * [newMin, newMax] (float32 as PyTorch).
 */
export function _upscaleHistogram(
  hist: Float32Array,
  origMin: number,
  origMax: number,
  newMin: number,
  newMax: number,
  upsampleRate: number,
): Float32Array {
  const bins = hist.length;
  const parts = bins * upsampleRate;
  const binSize = f32(f32(origMax - origMin) / parts);
  const halfBin = f32(0.5 * binSize);
  const starts = _linspace32(origMin, origMax, parts + 1);
  const bounds = _linspace32(newMin, newMax, bins + 1);
  const out = new Float32Array(bins);
  let j = 0; // bucketize(mid, bounds, right=True) - 1 by a merge walk: mids and bounds both increase
  for (let k = 0; k < parts; k++) {
    const mid = f32(starts[k]! + halfBin);
    while (j < bins && bounds[j + 1]! <= mid) j++;
    let b = j;
    if (mid < bounds[0]!) b = 0;
    if (b > bins - 1) b = bins - 1;
    out[b] = f32(out[b]! + f32(hist[(k / upsampleRate) | 0]! / upsampleRate));
  }
  return out;
}

/**
 * PyTorch's `_compute_quantization_error`: the L2 error, estimated from the histogram, of quantizing the
 * values in bins [startBin, endBin] onto `dstBins` levels, each source bin's mass taken as spread evenly
 * over the bin: the sum over source bins of density * integral of (x - nearest level center)^2 dx.
 * Computed in float64 (PyTorch: float32 tensors).
 */
export function _computeQuantizationError(
  hist: ArrayLike<number>,
  min: number,
  max: number,
  startBin: number,
  endBin: number,
  dstBins: number,
): number {
  const bins = hist.length;
  const binWidth = (max - min) / bins;
  const dstWidth = (binWidth * (endBin - startBin + 1)) / dstBins;
  if (dstWidth === 0) return 0;
  const half = dstWidth / 2;
  const half3 = half * half * half;
  const lastDst = dstBins - 1;
  let norm = 0;
  for (let k = 0; k < bins; k++) {
    const h = hist[k]!;
    if (h === 0) continue;
    const density = h / binWidth;
    const begin = (k - startBin) * binWidth;
    const end = begin + binWidth;
    let dBegin = Math.floor(begin / dstWidth);
    dBegin = dBegin < 0 ? 0 : Math.min(dBegin, lastDst);
    let dEnd = Math.floor(end / dstWidth);
    dEnd = dEnd < 0 ? 0 : Math.min(dEnd, lastDst);
    const a = begin - (dBegin + 0.5) * dstWidth; // from the start of the source bin to its level center
    const b = end - (dEnd * dstWidth + half); // from the end of the source bin to its level center
    // first level: a .. +half; the whole levels in between; last level: -half .. b
    norm += (density * (half3 - a * a * a)) / 3;
    norm += ((dEnd - dBegin - 1) * density * (2 * half3)) / 3;
    norm += (density * (b * b * b + half3)) / 3;
  }
  return norm;
}

/**
 * PyTorch's `_non_linear_param_search` (from caffe2's NormMinimization): starting from the whole
 * histogram, repeatedly moves the start or end bin inward (whichever quantile step 1e-5 moves further),
 * computes the L2 error estimate of the new bin range, and stops at the first step where the error grows.
 * Returns the bin range [startBin, endBin]; the clipping range is
 * [min + binWidth * startBin, min + binWidth * (endBin + 1)].
 */
export function _nonLinearParamSearch(
  hist: ArrayLike<number>,
  min: number,
  max: number,
  dstBins: number,
): { startBin: number; endBin: number } {
  const bins = hist.length;
  const cSum = new Float32Array(bins); // torch.cumsum: float64 accumulator, float32 result
  let acc = 0;
  for (let k = 0; k < bins; k++) {
    acc += hist[k]!;
    cSum[k] = acc;
  }
  const total = f32(acc);
  const stepsize = 1e-5;
  let alpha = 0;
  let beta = 1;
  let startBin = 0;
  let endBin = bins - 1;
  let normMin = Number.POSITIVE_INFINITY;
  while (alpha < beta) {
    const nextAlpha = alpha + stepsize;
    const nextBeta = beta - stepsize;
    // PyTorch compares a float32 tensor with a Python float: in float32.
    const lowTarget = f32(nextAlpha * total);
    const highTarget = f32(nextBeta * total);
    let l = startBin;
    let r = endBin;
    while (l < endBin && cSum[l]! < lowTarget) l++;
    while (r > startBin && cSum[r]! > highTarget) r--;
    let nextStart = startBin;
    let nextEnd = endBin;
    if (l - startBin > endBin - r) {
      nextStart = l;
      alpha = nextAlpha;
    } else {
      nextEnd = r;
      beta = nextBeta;
    }
    if (nextStart === startBin && nextEnd === endBin) continue;
    const norm = _computeQuantizationError(hist, min, max, nextStart, nextEnd, dstBins);
    if (norm > normMin) break;
    normMin = norm;
    startBin = nextStart;
    endBin = nextEnd;
  }
  return { startBin, endBin };
}

/**
 * PyTorch's `HistogramObserver` (as in torch 2.13): a running histogram of `bins` bins over the running
 * [min, max]; when a batch widens the range, the old histogram is resampled into the new bins
 * (`upsampleRate` parts a bin) and the batch's own histogram is added; `calculateQParams` searches the
 * bin range that minimizes PyTorch's L2 quantization-error estimate (`_non_linear_param_search`) over
 * 2^bits(dtype) levels (256 for quint8/qint8, also with a custom quantMin/quantMax, as PyTorch) and turns
 * that range into scale and zero point like `MinMaxObserver`. Agrees with PyTorch to within one bin width
 * (tested against torch 2.13's own outputs). Unlike PyTorch, NaN or Infinity in a batch is an error, not
 * silently skipped.
 *
 * Like PyTorch's, the search is greedy and stops at the first step that raises its error estimate: it
 * trims sparse tails of a smooth distribution but usually keeps a lone far outlier.
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const obs = new HistogramObserver();
 * obs.observe(new Rng(0).fillNormal(new Float32Array(100_000)));
 * [obs.minVal, obs.maxVal]; // [-4.39, 4.03]: the histogram's range
 * obs.range();              // { minVal: [-4.39], maxVal: [3.66] }: the searched range
 * obs.calculateQParams();   // scale 0.0316, zeroPoint 139 (quint8)
 */
export class HistogramObserver extends _ObserverBase {
  readonly bins: number;
  readonly upsampleRate: number;
  /** Levels of the search: 2^bits of the dtype, as PyTorch's `dst_nbins`. */
  readonly dstBins: number;
  /** The histogram range: PyTorch's `min_val` / `max_val` buffers (±Infinity before any batch). */
  minVal = Number.POSITIVE_INFINITY;
  maxVal = Number.NEGATIVE_INFINITY;
  private hist: Float32Array;

  constructor(options: HistogramObserverOptions = {}) {
    super("HistogramObserver", options, {
      dtype: "quint8",
      qscheme: "per_tensor_affine",
      kind: "per_tensor",
      keys: ["bins", "upsampleRate"],
    });
    const bins = options.bins ?? 2048;
    if (!Number.isInteger(bins) || bins < 2 || bins > 2 ** 24) {
      throw new RangeError(`${this.name}: bins must be an integer in 2..2^24, got ${String(bins)}`);
    }
    const up = options.upsampleRate ?? 16;
    if (!Number.isInteger(up) || up < 1 || up > 1024) {
      throw new RangeError(`${this.name}: upsampleRate must be an integer in 1..1024, got ${String(up)}`);
    }
    this.bins = bins;
    this.upsampleRate = up;
    this.dstBins = 2 ** DTYPES[this.dtype].bits;
    this.hist = new Float32Array(bins);
  }

  /** The running histogram (float32 counts, as PyTorch's buffer); a copy. */
  get histogram(): Float32Array {
    return this.hist.slice();
  }

  protected observeBatch(x: Float32Array): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    const counts = new Float64Array(this.bins);
    if (this.batches === 0) {
      _histc(x, this.bins, min, max, counts);
      this.hist = Float32Array.from(counts);
      this.minVal = min;
      this.maxVal = max;
      return;
    }
    const newMin = Math.min(this.minVal, min);
    const newMax = Math.max(this.maxVal, max);
    _histc(x, this.bins, newMin, newMax, counts);
    const old = this.hist;
    let moved: Float32Array;
    if (newMin === this.minVal && newMax === this.maxVal) {
      moved = old;
    } else if (this.minVal === this.maxVal) {
      // A histogram of one value: all its mass goes to that value's bin in the new range.
      let mass = 0;
      for (let k = 0; k < old.length; k++) mass += old[k]!;
      const one = new Float64Array(this.bins);
      _histc(Float32Array.of(this.minVal), this.bins, newMin, newMax, one);
      moved = new Float32Array(this.bins);
      for (let k = 0; k < this.bins; k++) moved[k] = f32(one[k]! * f32(mass));
    } else {
      moved = _upscaleHistogram(old, this.minVal, this.maxVal, newMin, newMax, this.upsampleRate);
    }
    const next = new Float32Array(this.bins);
    for (let k = 0; k < this.bins; k++) next[k] = f32(moved[k]! + counts[k]!);
    this.hist = next;
    this.minVal = newMin;
    this.maxVal = newMax;
  }

  protected computeRange(): ObserverRange {
    if (this.minVal === this.maxVal) {
      return { minVal: Float32Array.of(this.minVal), maxVal: Float32Array.of(this.maxVal) };
    }
    const { startBin, endBin } = _nonLinearParamSearch(this.hist, this.minVal, this.maxVal, this.dstBins);
    const binWidth = f32(f32(this.maxVal - this.minVal) / this.bins);
    return {
      minVal: Float32Array.of(f32(this.minVal + f32(binWidth * startBin))),
      maxVal: Float32Array.of(f32(this.minVal + f32(binWidth * (endBin + 1)))),
    };
  }

  protected resetState(): void {
    this.minVal = Number.POSITIVE_INFINITY;
    this.maxVal = Number.NEGATIVE_INFINITY;
    this.hist = new Float32Array(this.bins);
  }
}
