import { type Conv2d, type Linear, Module, type Parameter } from "@quantkit/nn";
import { type ConvertibleModule, createObserverFrom, type QConfig } from "@quantkit/ptq";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { FakeQuantize } from "./FakeQuantize";

/** What the forward pass keeps for the backward pass: the input and the fake-quantized weight it used. */
export interface _SavedInput {
  readonly x: Float32Array;
  readonly shape: Shape;
  readonly weight: Float32Array;
}

/**
 * What {@link QatLinear} and {@link QatConv2d} share: the weight and output fake quantizers, the
 * float layer's parameters, the fused ReLU and the straight-through backward pass. A subclass gives
 * only the float layer's forward and backward on an explicit (fake-quantized) weight.
 */
export abstract class _QatLayer<F extends Linear | Conv2d> extends Module implements ConvertibleModule {
  abstract readonly quantizedKind: "linear" | "conv2d";
  readonly weightFakeQuant: FakeQuantize;
  readonly activationPostProcess: FakeQuantize;
  private last: (_SavedInput & { readonly out: Float32Array }) | undefined;
  private readonly gradBuffer: Float32Array;

  constructor(
    readonly float: F,
    readonly relu: boolean,
    qconfig: QConfig,
    private readonly layerName: string,
  ) {
    super();
    this.weightFakeQuant = new FakeQuantize(
      createObserverFrom(qconfig.weight, `${layerName}: qconfig.weight`),
    );
    this.activationPostProcess = new FakeQuantize(
      createObserverFrom(qconfig.activation, `${layerName}: qconfig.activation`),
    );
    this.gradBuffer = new Float32Array(float.weight.data.length);
  }

  /** The float layer's forward pass with `weight` in place of its own. */
  protected abstract floatForward(x: Float32Array, shape: Shape, weight: Float32Array): Tensor;

  /**
   * The float layer's backward pass at `saved` (its input and weight): accumulates dL/dW into
   * `gradWeight` and dL/db into the bias' grad; dL/dx when `needInputGrad`, else undefined.
   */
  protected abstract floatBackward(
    gradOut: Float32Array,
    saved: _SavedInput,
    gradWeight: Float32Array,
    needInputGrad: boolean,
  ): Float32Array | undefined;

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
    const y = this.floatForward(x, shape, weight);
    if (this.relu) for (let i = 0; i < y.data.length; i++) if (!(y.data[i]! > 0)) y.data[i] = 0;
    this.last = { x, shape, weight, out: y.data };
    return this.activationPostProcess.call(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    const last = this.last;
    if (last === undefined) throw new Error(`${this.layerName}.backward called before forward`);
    let g = this.activationPostProcess.backward(gradOut);
    if (this.relu) {
      if (g === gradOut) g = g.slice(); // a disabled fake quantizer passes the caller's array through
      for (let i = 0; i < g.length; i++) if (!(last.out[i]! > 0)) g[i] = 0;
    }
    const gw = this.gradBuffer.fill(0);
    const gx = this.floatBackward(g, last, gw, needInputGrad);
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
