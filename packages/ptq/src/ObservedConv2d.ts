import type { Conv2d } from "@quantkit/nn";
import { _ObservedLayer } from "./_ObservedLayer";
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
export class ObservedConv2d extends _ObservedLayer<Conv2d> {
  readonly quantizedKind = "conv2d" as const;

  constructor(
    float: Conv2d,
    relu: boolean,
    weightObserver: ObserverFactory,
    activationPostProcess: ObserverModule,
  ) {
    super(float, relu, weightObserver, activationPostProcess, "ObservedConv2d");
  }
}
