import type { Observer } from "@quantkit/calibrators";
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
      // The observer has rejected NaN/Infinity and empty batches already.
      let lo = this.min;
      let hi = this.max;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.min = lo;
      this.max = hi;
    }
    return { data: x, shape };
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
