import { MinMaxObserver, type Observer, PerChannelMinMaxObserver } from "@quantkit/calibrators";
import { Module } from "@quantkit/nn";
import {
  type ActivationPostProcess,
  createObserverFrom,
  type ObservedRange,
  type ObserverFactory,
} from "@quantkit/ptq";
import { fakeQuantizeBackward, fakeQuantizeWithMask, type QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";

/**
 * PyTorch's `torch.ao.quantization.FakeQuantize`: on every forward pass, when `observerEnabled`, the
 * observer records the tensor and the scale and zero point are recomputed from it; when
 * `fakeQuantEnabled`, the output is the tensor quantized and dequantized with them,
 * (clamp(round(x / scale) + zeroPoint, quantMin, quantMax) - zeroPoint) * scale (quantizers'
 * `fakeQuantizeWithMask`, PyTorch's float32 arithmetic). The backward pass is the straight-through
 * estimator, as the deck's slide says: the gradient passes where the code was inside [quantMin,
 * quantMax] and is 0 where it was clamped (`fakeQuantizeBackward`). As in PyTorch the observer keeps
 * updating in eval mode too while enabled: call `disableObserver(model)` to freeze the ranges.
 *
 * @example
 * const fq = new FakeQuantize({ observer: "minmax", options: { quantMin: 0, quantMax: 3 } });
 * fq.forward(new Float32Array([0, 0.4, 1.5, 3]), [4]).data // Float32Array [0, 0, 2, 3] (scale 1)
 * fq.backward(new Float32Array([1, 1, 1, 1]))              // Float32Array [1, 1, 1, 1]
 */
export class FakeQuantize extends Module implements ActivationPostProcess {
  /** Update the observer (and the qparams) on forward: PyTorch's `observer_enabled`. */
  observerEnabled = true;
  /** Quantize-dequantize on forward (else pass through): PyTorch's `fake_quant_enabled`. */
  fakeQuantEnabled = true;
  readonly observer: Observer;
  private qparams: QParams | null = null;
  private mask: Uint8Array | null = null;
  private passedThrough = false;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(observer: ObserverFactory | Observer) {
    super();
    this.observer =
      typeof observer === "object" && observer !== null && "observe" in observer
        ? observer
        : createObserverFrom(observer as ObserverFactory, "FakeQuantize");
  }

  /** The scale(s) in use, or null before the first observed batch. */
  get scale(): Float32Array | null {
    return this.qparams?.scale ?? null;
  }

  /** The zero point(s) in use, or null before the first observed batch. */
  get zeroPoint(): Int32Array | null {
    return this.qparams?.zeroPoint ?? null;
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    if (this.observerEnabled) {
      this.observer.observe(x, shape);
      this.qparams = this.observer.calculateQParams();
      this.updateObservedRange(x);
    }
    if (!this.fakeQuantEnabled) {
      this.passedThrough = true;
      return { data: x, shape };
    }
    if (this.qparams === null) {
      throw new RangeError(
        "FakeQuantize.forward: no scale yet; the observer must see a batch first (enable the observer)",
      );
    }
    const { output, mask } = fakeQuantizeWithMask(x, shape, this.qparams, {
      mask: this.mask?.length === x.length ? this.mask : undefined,
    });
    this.mask = mask;
    this.passedThrough = false;
    return { data: output, shape };
  }

  /**
   * Folds `x` (just observed) into the running [min, max] that {@link FakeQuantize.observedRange} reports.
   * A MinMaxObserver or PerChannelMinMaxObserver (exactly those classes: the moving averages and the
   * clipping observers keep other statistics) has just found the same running extremes in its own
   * scan, so they are read from it (O(1), or O(channels)) instead of scanning x a second time: the
   * weight's observer on every QAT forward. Its extremes cover only batches since its last reset and
   * include x, so folding them into ours gives the same min and max as the scan.
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

  /** The straight-through estimator: dL/dx = dL/dy where the code was in range, 0 where it was clamped. */
  backward(gradOut: Float32Array): Float32Array {
    if (this.passedThrough) return gradOut;
    if (this.mask === null) throw new Error("FakeQuantize.backward called before forward");
    return fakeQuantizeBackward(gradOut, this.mask);
  }

  /** The scale and zero point in use (PyTorch's `calculate_qparams`): the observer's. */
  calculateQParams(): QParams {
    return this.qparams ?? this.observer.calculateQParams();
  }

  observedRange(): ObservedRange | null {
    return this.min <= this.max ? { min: this.min, max: this.max } : null;
  }

  override extraRepr(): string {
    const o = this.observer;
    return `fake_quant_enabled=${this.fakeQuantEnabled}, observer_enabled=${this.observerEnabled}, quant_min=${o.quantMin}, quant_max=${o.quantMax}, dtype=${o.dtype}, qscheme=${o.qscheme}, observer=${o.name}`;
  }
}
