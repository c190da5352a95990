import { MinMaxObserver, type Observer, PerChannelMinMaxObserver } from "@quantkit/calibrators";
import { Module } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import type { ActivationPostProcess, ObservedRange } from "./convertible";

/**
 * An observer as a module (PyTorch's observers are `nn.Module`s): `forward` records the batch in the
 * observer and returns it unchanged, `backward` passes the gradient through. It also keeps the raw
 * minimum and maximum it saw, for the per-layer report (a percentile or histogram observer's chosen
 * range is narrower). `enabled = false` stops observing.
 *
 * @example
 * const obs = new ObserverModule(new MinMaxObserver());
 * obs.forward(new Float32Array([-1, 2]), [2]);
 * obs.calculateQParams().zeroPoint[0] // 85
 * obs.observedRange()                 // { min: -1, max: 2 }
 */
export class ObserverModule extends Module implements ActivationPostProcess {
  /** Observe on forward (PyTorch's `observer_enabled`). */
  enabled = true;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(readonly observer: Observer) {
    super();
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    if (this.enabled) {
      this.observer.observe(x, shape);
      this.updateObservedRange(x);
    }
    return { data: x, shape };
  }

  /**
   * Folds `x` (just observed; the observer has rejected NaN/Infinity and empty batches already) into
   * the running [min, max] that {@link ObserverModule.observedRange} reports. A MinMaxObserver or
   * PerChannelMinMaxObserver (exactly those classes: the moving averages and the clipping observers
   * keep other statistics) has just found the same running extremes in its own scan, so they are read
   * from it (O(1), or O(channels)) instead of scanning x a second time (a QAT
   * weight's observer sees the whole weight on every forward). Its extremes cover only batches since its last reset and include x, so folding them
   * into ours gives the same min and max as the scan.
   */
  private updateObservedRange(x: Float32Array): void {
    const o = this.observer;
    let lo = this.min;
    let hi = this.max;
    if (o.constructor === MinMaxObserver) {
      const { minVal, maxVal } = o as MinMaxObserver;
      if (minVal < lo) lo = minVal;
      if (maxVal > hi) hi = maxVal;
    } else if (o.constructor === PerChannelMinMaxObserver) {
      const { minVal, maxVal } = o as PerChannelMinMaxObserver;
      for (let c = 0; c < minVal.length; c++) {
        if (minVal[c]! < lo) lo = minVal[c]!;
        if (maxVal[c]! > hi) hi = maxVal[c]!;
      }
    } else {
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    this.min = lo;
    this.max = hi;
  }

  backward(gradOut: Float32Array): Float32Array {
    return gradOut;
  }

  calculateQParams(): QParams {
    return this.observer.calculateQParams();
  }

  observedRange(): ObservedRange | null {
    return this.min <= this.max ? { min: this.min, max: this.max } : null;
  }

  /** Forgets what was observed. */
  reset(): void {
    this.observer.reset();
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  override extraRepr(): string {
    const o = this.observer;
    return `${o.name}, dtype=${o.dtype}, qscheme=${o.qscheme}, quant_min=${o.quantMin}, quant_max=${o.quantMax}`;
  }
}
