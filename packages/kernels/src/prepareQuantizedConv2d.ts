import { assertOptions } from "@quantkit/tensor";
import { _pair, type Size2d } from "./_convShape";
import { _convS16 } from "./_plans";
import { _quantizeLayerParts, type Scales } from "./_quantizeLayer";
import { _assertInstance, _assertLength, _assertPositiveInt } from "./_validate";
import type { QuantizedConv2dLayer } from "./types";

/** The float parameters of a quantized Conv2d layer (PyTorch's `nn.quantized.Conv2d` ingredients). */
export interface QuantizedConv2dParams {
  /** int8 weights [outChannels, inChannels / groups, kernelH, kernelW], symmetric (zero point 0). */
  weight: Int8Array;
  inChannels: number;
  outChannels: number;
  kernelSize: Size2d;
  /** Default 1. */
  stride?: Size2d;
  /** Zero padding on each side (padded inputs are the input zero point, the code of 0.0). Default 0. */
  padding?: Size2d;
  /** Default 1. */
  dilation?: Size2d;
  /** Default 1; must divide inChannels and outChannels. */
  groups?: number;
  weightScale: Scales;
  inputScale: number;
  inputZeroPoint: number;
  /** Optional bias [outChannels], float or already int32, as {@link prepareQuantizedLinear}'s. */
  bias?: Float32Array | Int32Array | null;
  outputScale: number;
  outputZeroPoint: number;
  /** Fuse a ReLU: clamp the output codes below at outputZeroPoint (the code of 0.0). */
  relu?: boolean;
  /** Lowest output code, an integer in [0, 255]; default 0 (a fused `relu` raises it to outputZeroPoint). */
  outputMin?: number;
  /** Highest output code, an integer in [outputMin, 255]; default 255 (e.g. 15 for a 4-bit activation). */
  outputMax?: number;
}

/**
 * Prepares a quantized 2-D convolution for integer-only inference, as {@link prepareQuantizedLinear}
 * does for Linear: int32 bias, fixed-point multipliers per tensor or per output channel, the input
 * zero point folded into the bias, the weight packed for the WebAssembly inner loop (per group),
 * output codes clamped to [outputMin, outputMax] (default [0, 255]; a fused ReLU raises outputMin to
 * outputZeroPoint).
 *
 * Errors: a weight of the wrong length, groups that do not divide the channels, sizes that are not
 * positive integers, bad scales or zero points, outputMin/outputMax that are not integers in [0, 255]
 * or out of order, an outputMax below outputZeroPoint with `relu` (RangeError); wrong types (TypeError).
 *
 * @example
 * const layer = prepareQuantizedConv2d({
 *   weight: new Int8Array(8 * 3 * 3 * 3).fill(1), inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1,
 *   weightScale: 0.01, inputScale: 0.02, inputZeroPoint: 128, outputScale: 0.1, outputZeroPoint: 0, relu: true,
 * });
 * layer.kernelH // 3
 * layer.outputMin // 0 (the ReLU clamps at the output zero point)
 *
 * // A 4-bit activation (codes 0..15) whose zero point 4 the ReLU raises outputMin to:
 * const int4 = prepareQuantizedConv2d({
 *   weight: new Int8Array(8 * 3 * 3 * 3).fill(1), inChannels: 3, outChannels: 8, kernelSize: 3,
 *   weightScale: 0.01, inputScale: 0.02, inputZeroPoint: 128, outputScale: 0.1, outputZeroPoint: 4,
 *   relu: true, outputMin: 0, outputMax: 15,
 * });
 * [int4.outputMin, int4.outputMax] // [4, 15]
 */
export function prepareQuantizedConv2d(params: QuantizedConv2dParams): QuantizedConv2dLayer {
  assertOptions(
    params,
    [
      "weight",
      "inChannels",
      "outChannels",
      "kernelSize",
      "stride",
      "padding",
      "dilation",
      "groups",
      "weightScale",
      "inputScale",
      "inputZeroPoint",
      "bias",
      "outputScale",
      "outputZeroPoint",
      "relu",
      "outputMin",
      "outputMax",
    ],
    "prepareQuantizedConv2d params",
  );
  if (typeof params !== "object" || params === null) throw new TypeError("params must be an object");
  const { weight, inChannels, outChannels } = params;
  _assertPositiveInt(inChannels, "inChannels");
  _assertPositiveInt(outChannels, "outChannels");
  const groups = params.groups ?? 1;
  _assertPositiveInt(groups, "groups");
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(
      `groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`,
    );
  }
  const [kernelH, kernelW] = _pair(params.kernelSize, 1, "kernelSize");
  const [strideH, strideW] = _pair(params.stride, 1, "stride");
  const [padH, padW] = _pair(params.padding, 0, "padding", true);
  const [dilationH, dilationW] = _pair(params.dilation, 1, "dilation");
  _assertInstance(weight, Int8Array, "Int8Array", "weight");
  const cg = inChannels / groups;
  _assertLength(
    weight,
    outChannels * cg * kernelH * kernelW,
    "weight",
    `outChannels * (inChannels / groups) * kernelH * kernelW (${outChannels} * ${cg} * ${kernelH} * ${kernelW})`,
  );
  const parts = _quantizeLayerParts(outChannels, params);
  const layer: QuantizedConv2dLayer = {
    inChannels,
    outChannels,
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    groups,
    weight,
    inputZeroPoint: params.inputZeroPoint,
    outputZeroPoint: params.outputZeroPoint,
    ...parts,
  };
  _convS16(layer); // fold the bias and pack the weight now
  return layer;
}
