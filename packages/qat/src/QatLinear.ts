import { type Linear, linearBackward, linearForward, Module, type Parameter } from "@quantkit/nn";
import { type ConvertibleModule, createObserverFrom, type QConfig } from "@quantkit/ptq";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { FakeQuantize } from "./FakeQuantize";

/**
 * A Linear (+ fused ReLU) trained with fake quantization (PyTorch's `torch.ao.nn.qat.Linear` and
 * `torch.ao.nn.intrinsic.qat.LinearReLU`): the forward pass uses the fake-quantized weight
 * (`weightFakeQuant`), adds the float bias, applies the ReLU and fake-quantizes the output
 * (`activationPostProcess`); the backward pass is the straight-through estimator at both fake
 * quantizers (the weight gets dL/dW_fq where its code was in range, 0 where it was clamped). The
 * parameters are the Linear's, with its names. `convert` of @quantkit/ptq reads it as any prepared
 * layer: the weight quantized with the weight fake quantizer's scale, the output with the activation's.
 *
 * @example
 * const qat = prepareQat(createMlp([784, 100, 100, 10]), defaultQatQConfig);
 * qat.get("fc1") // QatLinear, relu true
 */
export class QatLinear extends Module implements ConvertibleModule {
  readonly quantizedKind = "linear" as const;
  readonly weightFakeQuant: FakeQuantize;
  readonly activationPostProcess: FakeQuantize;
  private last: { x: Float32Array; shape: Shape; weight: Float32Array; out: Float32Array } | undefined;
  private gradBuffer: Float32Array;

  constructor(
    readonly float: Linear,
    readonly relu: boolean,
    qconfig: QConfig,
  ) {
    super();
    this.weightFakeQuant = new FakeQuantize(createObserverFrom(qconfig.weight, "QatLinear: qconfig.weight"));
    this.activationPostProcess = new FakeQuantize(
      createObserverFrom(qconfig.activation, "QatLinear: qconfig.activation"),
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
    const y = linearForward(x, shape, weight, this.float.bias?.data ?? null);
    if (this.relu) for (let i = 0; i < y.data.length; i++) if (!(y.data[i]! > 0)) y.data[i] = 0;
    this.last = { x, shape, weight, out: y.data };
    return this.activationPostProcess.call(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    const last = this.last;
    if (last === undefined) throw new Error("QatLinear.backward called before forward");
    let g = this.activationPostProcess.backward(gradOut);
    if (this.relu) {
      if (g === gradOut) g = g.slice(); // a disabled fake quantizer passes the caller's array through
      for (let i = 0; i < g.length; i++) if (!(last.out[i]! > 0)) g[i] = 0;
    }
    const gw = this.gradBuffer.fill(0);
    const gx = linearBackward(
      g,
      last.x,
      last.shape,
      last.weight,
      gw,
      this.float.bias?.grad ?? null,
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
