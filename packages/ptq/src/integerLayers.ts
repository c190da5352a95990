import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "@quantkit/kernels";
import type { ObservedRange } from "./convertible";

/**
 * The quantization of one activation tensor (PyTorch's per_tensor_affine quint8 parameters): real
 * value = (code - zeroPoint) * scale, codes clamped to [quantMin, quantMax] (within 0..255).
 */
export interface ActivationQParams {
  /** float32 scale, positive. */
  readonly scale: number;
  readonly zeroPoint: number;
  readonly quantMin: number;
  readonly quantMax: number;
}

/** How a layer's weight is quantized: symmetric int8 codes (zero point 0), per tensor or per output channel. */
export interface WeightQuantization {
  readonly qscheme: "per_tensor_symmetric" | "per_channel_symmetric";
  /** One scale, or one per output channel. */
  readonly scale: Float32Array;
  readonly quantMin: number;
  readonly quantMax: number;
  /** Bits a code needs: ceil(log2(quantMax - quantMin + 1)), 2..8. */
  readonly bits: number;
}

interface IntegerLayerBase {
  /** The layer's path in the prepared model ("fc1"). */
  readonly name: string;
  /** The float model's module whose output this layer's output stands for ("relu1" after fusing "fc1"). */
  readonly sourceName: string;
}

/**
 * A quantized Linear (+ fused ReLU) of the integer model. `kernel` is the @quantkit/kernels layer that any
 * `Kernels` object runs, and the one record of what it holds: int8 weight codes, the int32 bias (scale
 * s_in * s_w), the input and output zero points, the fixed-point multipliers and the output clamp. Beside
 * it only what kernels lacks: the name, the output's scale and code range (the kernel keeps its zero
 * point and the clamp), the weight's scales and code range, whether a ReLU is fused (the kernel keeps only
 * the clamp it gives, which is the plain one when the zero point is quantMin), the observed range and the
 * weight's SQNR. The input's quantization is the previous layer's output (`QuantizedModel.activations`).
 */
export interface IntegerLinear extends IntegerLayerBase {
  readonly kind: "linear";
  readonly relu: boolean;
  /** The output's quantization (the next layer's input); its zero point is `kernel.outputZeroPoint`. */
  readonly output: ActivationQParams;
  readonly weight: WeightQuantization;
  readonly kernel: QuantizedLinearLayer;
  /** The raw output range calibration saw (null when unknown). */
  readonly observedRange: ObservedRange | null;
  /** SQNR (dB) of the int8 weight against the float (fused, folded) weight, from convert (null when unknown). */
  readonly weightSqnrDb: number | null;
}

/** A quantized Conv2d (BatchNorm folded, + fused ReLU), NCHW, run by `Kernels.quantizedConv2d`; as {@link IntegerLinear}. */
export interface IntegerConv2d extends IntegerLayerBase {
  readonly kind: "conv2d";
  readonly relu: boolean;
  readonly output: ActivationQParams;
  readonly weight: WeightQuantization;
  readonly kernel: QuantizedConv2dLayer;
  readonly observedRange: ObservedRange | null;
  readonly weightSqnrDb: number | null;
}

/** Max pooling on uint8 codes (max commutes with a monotone quantization): the output keeps the input's qparams. */
export interface IntegerMaxPool2d extends IntegerLayerBase {
  readonly kind: "maxpool2d";
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly ceilMode: boolean;
}

/** A reshape (PyTorch's `Flatten(startDim, endDim)` over the per-batch shape); the codes do not move. */
export interface IntegerFlatten extends IntegerLayerBase {
  readonly kind: "flatten";
  readonly startDim: number;
  readonly endDim: number;
}

/** A ReLU that was not fused: max(code, zeroPoint) (the code of 0.0) with the input's qparams, which it keeps. */
export interface IntegerReLU extends IntegerLayerBase {
  readonly kind: "relu";
}

/** One layer of a `QuantizedModel`. */
export type IntegerLayer = IntegerLinear | IntegerConv2d | IntegerMaxPool2d | IntegerFlatten | IntegerReLU;
