import { assertOptions } from "@quantkit/tensor";
import {
  _assertConvWeightLength,
  _CONV_SHAPE_KEYS,
  _convLayerShape,
  type Conv2dShapeOptions,
} from "./_convShape";
import { _convS16 } from "./_plans";
import { _LAYER_PARAM_KEYS, _quantizeLayerParts, type QuantizedLayerParams } from "./_quantizeLayer";
import { _assertInstance } from "./_validate";
import type { QuantizedConv2dLayer } from "./types";

/** The float parameters of a quantized Conv2d layer (PyTorch's `nn.quantized.Conv2d` ingredients). */
export interface QuantizedConv2dParams extends QuantizedLayerParams, Conv2dShapeOptions {
  /** int8 weights [outChannels, inChannels / groups, kernelH, kernelW], symmetric (zero point 0). */
  weight: Int8Array;
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
    ["weight", ..._CONV_SHAPE_KEYS, ..._LAYER_PARAM_KEYS],
    "prepareQuantizedConv2d params",
  );
  if (typeof params !== "object" || params === null) throw new TypeError("params must be an object");
  const { weight } = params;
  const shape = _convLayerShape(params);
  _assertInstance(weight, Int8Array, "Int8Array", "weight");
  _assertConvWeightLength(weight, shape);
  const parts = _quantizeLayerParts(shape.outChannels, params);
  const layer: QuantizedConv2dLayer = {
    ...shape,
    weight,
    inputZeroPoint: params.inputZeroPoint,
    outputZeroPoint: params.outputZeroPoint,
    ...parts,
  };
  _convS16(layer); // fold the bias and pack the weight now
  return layer;
}
