import { calculateQParams, isSymmetric, type QParamsOptions } from "@quantkit/quantizers";
import { _HistogramError } from "./_histogramError";
import { _LinearHistogram } from "./_linearHistogram";
import { _searchSettings } from "./_mseOptions";
import { _ObserverBase } from "./_observerBase";
import { _searchClipRange } from "./_rangeSearch";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link MseObserver}. */
export interface MseObserverOptions extends ObserverOptions {
  /** Coarse grid points per side (resolution 1/gridSize^2 of the range after refinement). Default 20. */
  gridSize?: number;
  /** Bins of the histogram the error is integrated over. Default 8192. */
  bins?: number;
}

const f32 = Math.fround;

/**
 * The clipping range that minimizes the mean squared error between x and its fake-quantized copy
 * (the deck's "Mean-Squared-Error" range, solved by grid search). The values go into an equal-width
 * histogram (`bins` bins, grown by powers of two across batches); each candidate range [minNeg * a,
 * maxPos * b] gets its scale and zero point from `calculateQParams` and its error from the histogram
 * (O(codes) a candidate, see the README), and the search refines a coarse grid to 1/gridSize^2 of the
 * range. Symmetric qschemes search one parameter, [-m a, m a].
 *
 * The MSE counts every value: clipping a far outlier costs its whole distance squared, so a lone far
 * outlier is usually kept (the deck's table: 1000 clipped to 150 would add 850^2 / 10,001 = 72).
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const obs = new MseObserver();
 * obs.observe(new Rng(0).fillNormal(new Float32Array(100_000))); // observed range [-4.39, 4.03]
 * obs.range(); // { minVal: [-3.83], maxVal: [3.77] }: the sparse tails are clipped
 */
export class MseObserver extends _ObserverBase {
  readonly gridSize: number;
  readonly bins: number;
  private hist: _LinearHistogram;
  private lastMse = Number.NaN;

  constructor(options: MseObserverOptions = {}) {
    super("MseObserver", options, {
      dtype: "quint8",
      qscheme: "per_tensor_affine",
      kind: "per_tensor",
      keys: ["gridSize", "bins"],
    });
    ({ gridSize: this.gridSize, bins: this.bins } = _searchSettings(this.name, options, {
      gridSize: 20,
      bins: 8192,
    }));
    this.hist = new _LinearHistogram(this.bins);
  }

  /** The observed minimum and maximum (exact). */
  get minVal(): number {
    return this.hist.min;
  }
  get maxVal(): number {
    return this.hist.max;
  }

  /** The histogram estimate of the MSE at the chosen range (after range() or calculateQParams()). */
  get mse(): number {
    return this.lastMse;
  }

  protected observeBatch(x: Float32Array): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    this.hist.ensureRange(min, max);
    this.hist.add(x);
  }

  protected computeRange(): ObserverRange {
    const r = _mseSearch(
      this.hist,
      this.qparamsOptions,
      this.quantMin,
      this.quantMax,
      isSymmetric(this.qscheme),
      this.gridSize,
    );
    this.lastMse = r.mse;
    return { minVal: Float32Array.of(f32(r.lo)), maxVal: Float32Array.of(f32(r.hi)) };
  }

  protected resetState(): void {
    this.hist = new _LinearHistogram(this.bins);
    this.lastMse = Number.NaN;
  }
}

/** The MSE grid search over one histogram; shared with the per-channel observer. */
export function _mseSearch(
  hist: _LinearHistogram,
  qparamsOptions: QParamsOptions,
  quantMin: number,
  quantMax: number,
  symmetric: boolean,
  gridSize: number,
): { lo: number; hi: number; mse: number } {
  const err = new _HistogramError(hist);
  const minNeg = Math.min(hist.min, 0);
  const maxPos = Math.max(hist.max, 0);
  const r = _searchClipRange(
    minNeg,
    maxPos,
    symmetric,
    gridSize,
    (lo, hi) => {
      const q = calculateQParams(f32(lo), f32(hi), qparamsOptions);
      return err.squaredError(q.scale[0]!, q.zeroPoint[0]!, quantMin, quantMax);
    },
    (lo, hi) => {
      const q = calculateQParams(f32(lo), f32(hi), qparamsOptions);
      return err.approxSquaredError(q.scale[0]!, q.zeroPoint[0]!, quantMin, quantMax);
    },
  );
  return { lo: r.lo, hi: r.hi, mse: r.cost / hist.total };
}
