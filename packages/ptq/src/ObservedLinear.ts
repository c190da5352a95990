import type { Linear } from "@quantkit/nn";
import { _ObservedLayer } from "./_ObservedLayer";
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
export class ObservedLinear extends _ObservedLayer<Linear> {
  readonly quantizedKind = "linear" as const;

  constructor(
    float: Linear,
    relu: boolean,
    weightObserver: ObserverFactory,
    activationPostProcess: ObserverModule,
  ) {
    super(float, relu, weightObserver, activationPostProcess, "ObservedLinear");
  }
}
