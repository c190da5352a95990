import { prepareQuantizedConv2d, prepareQuantizedLinear } from "@quantkit/kernels";
import { Conv2d, Linear } from "@quantkit/nn";
import { dequantize, type QParams, quantize, sqnr } from "@quantkit/quantizers";
import { _checkWeightQParams } from "./_weightQParams";
import type { ObservedRange } from "./convertible";
import type { ActivationQParams, IntegerConv2d, IntegerLinear, WeightQuantization } from "./integerLayers";

/** Bits a code range needs: ceil(log2(quantMax - quantMin + 1)). */
export function _bitsOf(quantMin: number, quantMax: number): number {
  return Math.ceil(Math.log2(quantMax - quantMin + 1));
}

/** Weight codes and their quantization for a float weight and its qparams. */
export function _quantizeWeight(
  data: Float32Array,
  shape: readonly number[],
  q: QParams,
  where: string,
): { codes: Int8Array; weight: WeightQuantization; sqnrDb: number } {
  _checkWeightQParams(q, shape, where);
  const codes = quantize(data, shape, q);
  if (!(codes instanceof Int8Array))
    throw new RangeError(`${where}: weight codes must be int8, got ${codes.constructor.name}`);
  return {
    codes,
    sqnrDb: sqnr(data, dequantize(codes, shape, q)),
    weight: {
      qscheme:
        q.scale.length === 1 && q.qscheme !== "per_channel_symmetric"
          ? "per_tensor_symmetric"
          : "per_channel_symmetric",
      scale: Float32Array.from(q.scale),
      quantMin: q.quantMin,
      quantMax: q.quantMax,
      bits: _bitsOf(q.quantMin, q.quantMax),
    },
  };
}

/** Common parts of a quantized layer. */
export interface _LayerSource {
  name: string;
  sourceName: string;
  relu: boolean;
  weightQParams: QParams;
  input: ActivationQParams;
  output: ActivationQParams;
  observedRange: ObservedRange | null;
}

/**
 * The kernel parameters a Linear and a Conv2d share: weight codes and scales, bias, qparams, ReLU and
 * the output clamp at the activation's [quantMin, quantMax] (the kernel raises outputMin to the zero
 * point for a fused ReLU).
 */
interface _KernelCommon {
  weight: Int8Array;
  weightScale: number | Float32Array;
  inputScale: number;
  inputZeroPoint: number;
  bias: Float32Array | null;
  outputScale: number;
  outputZeroPoint: number;
  relu: boolean;
  outputMin: number;
  outputMax: number;
}

/**
 * What quantizing a Linear and a Conv2d share: the weight codes from its qparams, the kernel prepared by
 * `prepareKernel` with the output clamp at the activation range (its errors re-thrown as RangeErrors
 * naming the layer), and the integer layer's fields but `kind`.
 */
function _quantizeWith<K extends object>(
  float: Linear | Conv2d,
  s: _LayerSource,
  where: string,
  prepareKernel: (common: _KernelCommon) => K,
) {
  const { codes, weight, sqnrDb } = _quantizeWeight(
    float.weight.data,
    float.weight.shape,
    s.weightQParams,
    where,
  );
  let kernel: K;
  try {
    kernel = prepareKernel({
      weight: codes,
      weightScale: weight.scale.length === 1 ? weight.scale[0]! : weight.scale,
      inputScale: s.input.scale,
      inputZeroPoint: s.input.zeroPoint,
      bias: float.bias?.data ?? null,
      outputScale: s.output.scale,
      outputZeroPoint: s.output.zeroPoint,
      relu: s.relu,
      outputMin: s.output.quantMin,
      outputMax: s.output.quantMax,
    });
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`);
  }
  return {
    name: s.name,
    sourceName: s.sourceName,
    relu: s.relu,
    input: s.input,
    output: s.output,
    weight,
    kernel,
    observedRange: s.observedRange,
    weightSqnrDb: sqnrDb,
  };
}

/**
 * A float Linear -> an integer Linear: weight codes from its qparams, int32 bias at s_in * s_w,
 * fixed-point multipliers (`prepareQuantizedLinear`), output clamp at the activation range.
 */
export function _quantizeLinear(float: Linear, s: _LayerSource): IntegerLinear {
  if (!(float instanceof Linear)) throw new TypeError(`convert: "${s.name}" must hold a Linear`);
  const where = `convert: "${s.name}"`;
  const layer = _quantizeWith(float, s, where, (common) =>
    prepareQuantizedLinear({ ...common, inFeatures: float.inFeatures, outFeatures: float.outFeatures }),
  );
  return { kind: "linear", ...layer };
}

/** A float Conv2d -> an integer Conv2d (`prepareQuantizedConv2d`), as {@link _quantizeLinear}. */
export function _quantizeConv2d(float: Conv2d, s: _LayerSource): IntegerConv2d {
  if (!(float instanceof Conv2d)) throw new TypeError(`convert: "${s.name}" must hold a Conv2d`);
  const where = `convert: "${s.name}"`;
  const g = float.geometry;
  if (g.padTop !== g.padBottom || g.padLeft !== g.padRight) {
    throw new RangeError(`${where}: asymmetric padding is not supported by the integer convolution`);
  }
  const layer = _quantizeWith(float, s, where, (common) =>
    prepareQuantizedConv2d({
      ...common,
      inChannels: g.inChannels,
      outChannels: g.outChannels,
      kernelSize: [g.kernelH, g.kernelW],
      stride: [g.strideH, g.strideW],
      padding: [g.padTop, g.padLeft],
      dilation: [g.dilationH, g.dilationW],
      groups: g.groups,
    }),
  );
  return { kind: "conv2d", ...layer };
}
