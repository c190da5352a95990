import { isSymmetric } from "@quantkit/quantizers";
import { _ObserverBase } from "./_observerBase";
import { _minMax } from "./_scan";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link MinMaxObserver}. */
export type MinMaxObserverOptions = ObserverOptions;

/** PyTorch refuses reduce_range with a symmetric qscheme on quint8 (NotImplementedError); so do we. */
export function _rejectSymmetricReducedQuint8(o: _ObserverBase): void {
  if (o.reduceRange && o.dtype === "quint8" && isSymmetric(o.qscheme)) {
    throw new RangeError(
      `${o.name}: reduceRange with a symmetric qscheme is not supported for quint8 (PyTorch raises NotImplementedError too)`,
    );
  }
}

/**
 * PyTorch's `MinMaxObserver`: the running minimum and maximum of everything observed, min = min(min, min(X)),
 * max = max(max, max(X)); scale and zero point from them with `calculateQParams` (the deck's min-max range:
 * alpha = max(V), beta = min(V); sensitive to outliers).
 *
 * @example
 * const obs = new MinMaxObserver();
 * obs.observe(new Float32Array([-1, 0.25]));
 * obs.observe(new Float32Array([2, 0]));
 * [obs.minVal, obs.maxVal];        // [-1, 2]
 * obs.calculateQParams().scale[0]; // 0.011764706 (3 / 255 in float32); zeroPoint 85
 */
export class MinMaxObserver extends _ObserverBase {
  /** The running minimum (Infinity before any batch, as PyTorch's buffer). */
  minVal = Number.POSITIVE_INFINITY;
  /** The running maximum (-Infinity before any batch). */
  maxVal = Number.NEGATIVE_INFINITY;

  constructor(options: MinMaxObserverOptions = {}, name = "MinMaxObserver", keys: readonly string[] = []) {
    super(name, options, { dtype: "quint8", qscheme: "per_tensor_affine", kind: "per_tensor", keys });
    _rejectSymmetricReducedQuint8(this);
  }

  protected observeBatch(x: Float32Array): void {
    const { min, max, firstBad } = _minMax(x);
    if (firstBad >= 0) this.throwNonFinite(x, firstBad);
    this.update(min, max);
  }

  /** How a batch's (min, max) enters the running statistics; the moving average overrides it. */
  protected update(min: number, max: number): void {
    if (min < this.minVal) this.minVal = min;
    if (max > this.maxVal) this.maxVal = max;
  }

  protected computeRange(): ObserverRange {
    return { minVal: Float32Array.of(this.minVal), maxVal: Float32Array.of(this.maxVal) };
  }

  protected resetState(): void {
    this.minVal = Number.POSITIVE_INFINITY;
    this.maxVal = Number.NEGATIVE_INFINITY;
  }
}
