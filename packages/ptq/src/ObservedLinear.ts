import { type Linear, Module, type Parameter, ReLU } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";
import type { Shape, Tensor } from "@quantkit/tensor";
import { _weightQParams } from "./_weightQParams";
import type { ConvertibleModule } from "./convertible";
import type { ObserverModule } from "./ObserverModule";
import type { ObserverFactory } from "./qconfig";

/**
 * A float Linear (with an optional fused ReLU) whose output is observed: what `prepare` puts in place
 * of a `Linear` or `LinearReLU` (PyTorch attaches an `activation_post_process` to the module). The
 * forward pass is the float one; the weight is observed at `convert` time, as PyTorch does.
 * Parameters keep the Linear's names.
 *
 * @example
 * const prepared = prepare(createMlp([784, 100, 100, 10]), defaultQConfig);
 * prepared.get("fc1").toString() // "ObservedLinear(in_features=784, out_features=100, bias=True, relu=True) ..."
 */
export class ObservedLinear extends Module implements ConvertibleModule {
  readonly quantizedKind = "linear" as const;
  private readonly reluModule = new ReLU();

  constructor(
    readonly float: Linear,
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
    return _weightQParams(this.weightObserver, this.float.weight, "ObservedLinear");
  }

  override extraRepr(): string {
    return `${this.float.extraRepr()}, relu=${this.relu ? "True" : "False"}`;
  }
}
