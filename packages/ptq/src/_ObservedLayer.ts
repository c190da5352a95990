import { type Conv2d, type Linear, Module, type Parameter, ReLU } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { _weightQParams } from "./_weightQParams";
import type { ConvertibleModule } from "./convertible";
import type { ObserverModule } from "./ObserverModule";
import type { ObserverFactory } from "./qconfig";

/**
 * What {@link ObservedLinear} and {@link ObservedConv2d} share: the float layer's forward and backward,
 * the optional fused ReLU, the output observer, and the weight observed at `convert` time. A subclass
 * gives only its `quantizedKind` and its name for errors.
 */
export abstract class _ObservedLayer<F extends Linear | Conv2d> extends Module implements ConvertibleModule {
  abstract readonly quantizedKind: "linear" | "conv2d";
  private readonly reluModule = new ReLU();

  constructor(
    readonly float: F,
    readonly relu: boolean,
    readonly weightObserver: ObserverFactory,
    readonly activationPostProcess: ObserverModule,
    private readonly layerName: string,
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
    return _weightQParams(this.weightObserver, this.float.weight, this.layerName);
  }

  override extraRepr(): string {
    return `${this.float.extraRepr()}, relu=${this.relu ? "True" : "False"}`;
  }
}
