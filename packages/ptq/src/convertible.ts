import type { Conv2d, Linear, Module } from "@quantkit/nn";
import type { QParams } from "@quantkit/quantizers";

/** The smallest and largest value an activation observer actually saw (before any clipping search). */
export interface ObservedRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A module that turns a float tensor into quantization parameters: an observer module in PTQ, a
 * FakeQuantize in QAT (PyTorch's `activation_post_process`). It is a Module whose forward passes the
 * values on (observed, or fake-quantized) and whose `calculateQParams()` gives the scale and zero point.
 */
export interface ActivationPostProcess extends Module {
  calculateQParams(): QParams;
  /** The raw range seen so far, or null when nothing was seen. */
  observedRange(): ObservedRange | null;
}

/**
 * What `convert` needs from a prepared layer, PTQ's (`ObservedLinear`, `ObservedConv2d`) or QAT's
 * (`QatLinear`, `QatConv2d` of @quantkit/qat): the float layer after fusion and folding, whether a ReLU
 * is fused into it, the weight's quantization parameters (symmetric, per tensor or per output channel)
 * and the output activation's.
 */
export interface ConvertibleModule extends Module {
  readonly quantizedKind: "linear" | "conv2d";
  /** The float Linear or Conv2d whose weight and bias become int8 and int32. */
  readonly float: Linear | Conv2d;
  /** A ReLU fused after the layer (its output clamp starts at the output zero point). */
  readonly relu: boolean;
  /** The weight's qparams, for the weight as it is now. */
  weightQParams(): QParams;
  /** The output activation's post-process (observer or fake quantize). */
  readonly activationPostProcess: ActivationPostProcess;
}

/**
 * Whether a module is a prepared layer `convert` can quantize.
 *
 * @example
 * isConvertibleModule(prepared.get("fc1")) // true
 * isConvertibleModule(new ReLU())          // false
 */
export function isConvertibleModule(module: unknown): module is ConvertibleModule {
  const m = module as Partial<ConvertibleModule> | null;
  return (
    m !== null &&
    typeof m === "object" &&
    (m.quantizedKind === "linear" || m.quantizedKind === "conv2d") &&
    typeof m.weightQParams === "function" &&
    typeof m.activationPostProcess === "object"
  );
}
