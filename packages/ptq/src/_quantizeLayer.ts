import {
  prepareQuantizedConv2d,
  prepareQuantizedLinear,
  type QuantizedConv2dLayer,
  type QuantizedConv2dParams,
  type QuantizedLinearLayer,
} from "@quantkit/kernels";
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

/** What ptq knows of a Linear/Conv2d layer that the kernel is prepared from (by convert and by the loader). */
export interface _KernelSource {
  codes: Int8Array;
  weight: WeightQuantization;
  input: ActivationQParams;
  output: ActivationQParams;
  relu: boolean;
  /** Float (convert) or already int32 at s_in * s_w (a saved file). */
  bias: Float32Array | Int32Array | null;
}

/** The convolution geometry `prepareQuantizedConv2d` takes (kernels' own description of it). */
export type _ConvGeometry = Pick<
  QuantizedConv2dParams,
  "inChannels" | "outChannels" | "kernelSize" | "stride" | "padding" | "dilation" | "groups"
>;

/** Whether two requantizations are the same: equal multipliers and shifts. */
export function _sameMultipliers(
  a: { multiplier: Int32Array; shift: Int32Array },
  b: { multiplier: Int32Array; shift: Int32Array },
): boolean {
  const same = (x: Int32Array, y: Int32Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.multiplier, b.multiplier) && same(a.shift, b.shift);
}

/** A weight's scales as kernels take them: a number per tensor, an array per channel. */
export function _weightScaleArg(w: WeightQuantization): number | Float32Array {
  return w.scale.length === 1 ? w.scale[0]! : w.scale;
}

/**
 * The one mapping of ptq's description onto kernels' arguments: weight codes and scales, input and output
 * scales and zero points, the bias, the fused ReLU and the activation's [quantMin, quantMax], which
 * `prepare*` turns into the output clamp.
 */
function kernelArgs(s: _KernelSource) {
  return {
    weight: s.codes,
    weightScale: _weightScaleArg(s.weight),
    inputScale: s.input.scale,
    inputZeroPoint: s.input.zeroPoint,
    bias: s.bias,
    outputScale: s.output.scale,
    outputZeroPoint: s.output.zeroPoint,
    relu: s.relu,
    outputMin: s.output.quantMin,
    outputMax: s.output.quantMax,
  };
}

/** Runs `prepare`, re-throwing its errors as RangeErrors that start with `where`. */
function named<K>(where: string, prepare: () => K): K {
  try {
    return prepare();
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`);
  }
}

/** The kernels layer of a quantized Linear (`prepareQuantizedLinear`); errors name `where`. */
export function _prepareLinear(
  s: _KernelSource,
  inFeatures: number,
  outFeatures: number,
  where: string,
): QuantizedLinearLayer {
  return named(where, () => prepareQuantizedLinear({ ...kernelArgs(s), inFeatures, outFeatures }));
}

/** The kernels layer of a quantized Conv2d (`prepareQuantizedConv2d`); errors name `where`. */
export function _prepareConv2d(s: _KernelSource, g: _ConvGeometry, where: string): QuantizedConv2dLayer {
  return named(where, () => prepareQuantizedConv2d({ ...kernelArgs(s), ...g }));
}

/** The weight codes of a float layer from its qparams, and the integer layer's fields but `kind`, `kernel`. */
function quantizeWith<K>(
  float: Linear | Conv2d,
  s: _LayerSource,
  where: string,
  prepareKernel: (k: _KernelSource) => K,
) {
  const { codes, weight, sqnrDb } = _quantizeWeight(
    float.weight.data,
    float.weight.shape,
    s.weightQParams,
    where,
  );
  const kernel = prepareKernel({
    codes,
    weight,
    input: s.input,
    output: s.output,
    relu: s.relu,
    bias: float.bias?.data ?? null,
  });
  return {
    name: s.name,
    sourceName: s.sourceName,
    relu: s.relu,
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
  const layer = quantizeWith(float, s, where, (k) =>
    _prepareLinear(k, float.inFeatures, float.outFeatures, where),
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
  const geometry: _ConvGeometry = {
    inChannels: g.inChannels,
    outChannels: g.outChannels,
    kernelSize: [g.kernelH, g.kernelW],
    stride: [g.strideH, g.strideW],
    padding: [g.padTop, g.padLeft],
    dilation: [g.dilationH, g.dilationW],
    groups: g.groups,
  };
  const layer = quantizeWith(float, s, where, (k) => _prepareConv2d(k, geometry, where));
  return { kind: "conv2d", ...layer };
}
