import type { Observer } from "@quantkit/calibrators";
import { Module } from "@quantkit/nn";
import {
  type ActivationPostProcess,
  createObserverFrom,
  type ObservedRange,
  type ObserverFactory,
  ObserverModule,
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
  /** Observes (the observer as ptq's module) and keeps the raw range for the report. */
  private readonly observation: ObserverModule;

  constructor(observer: ObserverFactory | Observer) {
    super();
    this.observer =
      typeof observer === "object" && observer !== null && "observe" in observer
        ? observer
        : createObserverFrom(observer as ObserverFactory, "FakeQuantize");
    this.observation = new ObserverModule(this.observer);
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
      this.observation.forward(x, shape);
      this.qparams = this.observer.calculateQParams();
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
    return this.observation.observedRange();
  }

  override extraRepr(): string {
    const o = this.observer;
    return `fake_quant_enabled=${this.fakeQuantEnabled}, observer_enabled=${this.observerEnabled}, quant_min=${o.quantMin}, quant_max=${o.quantMax}, dtype=${o.dtype}, qscheme=${o.qscheme}, observer=${o.name}`;
  }
}
