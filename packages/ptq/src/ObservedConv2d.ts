import { type Conv2d, Module, type Parameter, ReLU } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { _weightQParams } from "./_weightQParams";
import type { ConvertibleModule } from "./convertible";
import type { ObserverModule } from "./ObserverModule";
import type { ObserverFactory } from "./qconfig";

/**
 * A float Conv2d (BatchNorm folded in, with an optional fused ReLU) whose output is observed: what
 * `prepare` puts in place of a `Conv2d` or `ConvReLU2d` (PyTorch attaches an `activation_post_process`
 * to the module). The forward pass is the float one; the weight is observed at `convert` time, as
 * PyTorch does. Parameters keep the convolution's names.
 *
 * @example
 * const prepared = prepare(new Sequential([["conv", new Conv2d(1, 4, 3)], ["relu", new ReLU()]]), defaultQConfig);
 * prepared.get("conv") // ObservedConv2d, relu true
 */
export class ObservedConv2d extends Module implements ConvertibleModule {
  readonly quantizedKind = "conv2d" as const;
  private readonly reluModule = new ReLU();

  constructor(
    readonly float: Conv2d,
    readonly relu: boolean,
    readonly weightObserver: ObserverFactory,
    readonly activationPostProcess: ObserverModule,
  ) {
    super();
  }

  override ownParameters(): Parameter[] {
    return this.float.ownParameters();
  }

  override children(): ReadonlyArray<readonly [string, Module]> {
    return [["activation_post_process", this.activationPostProcess]];
  }

  forward(x: Float32Array, shape: Shape): Tensor {
    let y = this.float.forward(x, shape);
    if (this.relu) y = this.reluModule.forward(y.data, y.shape);
    return this.activationPostProcess.call(y.data, y.shape);
  }

  backward(gradOut: Float32Array, needInputGrad = true): Float32Array {
    let g = this.activationPostProcess.backward(gradOut);
    if (this.relu) g = this.reluModule.backward(g);
    return this.float.backward(g, needInputGrad);
  }

  weightQParams(): QParams {
    return _weightQParams(this.weightObserver, this.float.weight, "ObservedConv2d");
  }

  override extraRepr(): string {
    return `${this.float.extraRepr()}, relu=${this.relu ? "True" : "False"}`;
  }
}
