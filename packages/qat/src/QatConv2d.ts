import { type Conv2d, conv2dBackward, conv2dForward, Module, type Parameter } from "@quantkit/nn";
import { type ConvertibleModule, createObserverFrom, type QConfig } from "@quantkit/ptq";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { FakeQuantize } from "./FakeQuantize";

/**
 * A Conv2d (BatchNorm folded in by `prepareQat`, + fused ReLU) trained with fake quantization
 * (PyTorch's `torch.ao.nn.qat.Conv2d` / `ConvReLU2d`; a BatchNorm is folded with its running
 * statistics before training, as PyTorch's `ConvBn2d` does once `freeze_bn_stats` is applied): the
 * fake-quantized weight, the float bias, the ReLU, the fake-quantized output, and the
 * straight-through estimator at both fake quantizers in the backward pass.
 *
 * @example
 * const qat = prepareQat(new Sequential([["conv", new Conv2d(1, 4, 3)], ["relu", new ReLU()]]));
 * qat.get("conv") // QatConv2d, relu true
 */
export class QatConv2d extends Module implements ConvertibleModule {
  readonly quantizedKind = "conv2d" as const;
  readonly weightFakeQuant: FakeQuantize;
  readonly activationPostProcess: FakeQuantize;
  private last: { x: Float32Array; shape: Shape; weight: Float32Array; out: Float32Array } | undefined;
  private gradBuffer: Float32Array;

  constructor(
    readonly float: Conv2d,
    readonly relu: boolean,
    qconfig: QConfig,
  ) {
    super();
    this.weightFakeQuant = new FakeQuantize(createObserverFrom(qconfig.weight, "QatConv2d: qconfig.weight"));
    this.activationPostProcess = new FakeQuantize(
      createObserverFrom(qconfig.activation, "QatConv2d: qconfig.activation"),
    );
    this.gradBuffer = new Float32Array(float.weight.data.length);
  }

  override ownParameters(): Parameter[] {
    return this.float.ownParameters();
  }

  override children(): ReadonlyArray<readonly [string, Module]> {
    return [
      ["weight_fake_quant", this.weightFakeQuant],
      ["activation_post_process", this.activationPostProcess],
    ];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    const w = this.float.weight;
    const weight = this.weightFakeQuant.call(w.data, w.shape).data;
    const y = conv2dForward(x, shape, weight, this.float.bias?.data ?? null, this.float.geometry);
    if (this.relu) for (let i = 0; i < y.data.length; i++) if (!(y.data[i]! > 0)) y.data[i] = 0;
    this.last = { x, shape, weight, out: y.data };
    return this.activationPostProcess.call(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    const last = this.last;
    if (last === undefined) throw new Error("QatConv2d.backward called before forward");
    let g = this.activationPostProcess.backward(gradOut);
    if (this.relu) {
      if (g === gradOut) g = g.slice(); // a disabled fake quantizer passes the caller's array through
      for (let i = 0; i < g.length; i++) if (!(last.out[i]! > 0)) g[i] = 0;
    }
    const gw = this.gradBuffer.fill(0);
    const gx = conv2dBackward(
      g,
      last.x,
      last.shape,
      last.weight,
      gw,
      this.float.bias?.grad ?? null,
      this.float.geometry,
      needInputGrad,
    );
    const masked = this.weightFakeQuant.backward(gw);
    const grad = this.float.weight.grad;
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! + masked[i]!;
    return gx ?? new Float32Array(0);
  }

  weightQParams(): QParams {
    return this.weightFakeQuant.calculateQParams();
  }

  override extraRepr(): string {
    return `${this.float.extraRepr()}, relu=${this.relu ? "True" : "False"}`;
  }
}
