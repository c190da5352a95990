import { _assertInstance, _assertIntIn, _assertLength, _assertPositiveInt } from "./_validate";
import { _assertRequantArrays } from "./requantize";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/** The parts every quantized layer has: zero points, int32 bias, multipliers, clamp. */
function assertCommon(
  layer: QuantizedLinearLayer | QuantizedConv2dLayer,
  channels: number,
  weightLength: number,
): void {
  _assertInstance(layer.weight, Int8Array, "Int8Array", "layer.weight");
  _assertLength(layer.weight, weightLength, "layer.weight", "its shape's size");
  _assertInstance(layer.bias, Int32Array, "Int32Array", "layer.bias");
  _assertLength(layer.bias, channels, "layer.bias", "the number of output channels");
  _assertIntIn(layer.inputZeroPoint, 0, 255, "layer.inputZeroPoint", "uint8");
  _assertIntIn(layer.outputZeroPoint, 0, 255, "layer.outputZeroPoint", "uint8");
  _assertIntIn(layer.outputMin, 0, 255, "layer.outputMin", "uint8");
  _assertIntIn(layer.outputMax, layer.outputMin, 255, "layer.outputMax", "outputMin..255");
  _assertRequantArrays(layer.multiplier, layer.shift, channels, "layer");
}

/** Checks a {@link QuantizedLinearLayer}'s fields against each other. */
export function _assertLinearLayer(layer: QuantizedLinearLayer): void {
  if (typeof layer !== "object" || layer === null)
    throw new TypeError("layer must be a QuantizedLinearLayer object");
  _assertPositiveInt(layer.inFeatures, "layer.inFeatures");
  _assertPositiveInt(layer.outFeatures, "layer.outFeatures");
  assertCommon(layer, layer.outFeatures, layer.inFeatures * layer.outFeatures);
}

/** Checks a {@link QuantizedConv2dLayer}'s fields against each other. */
export function _assertConvLayer(layer: QuantizedConv2dLayer): void {
  if (typeof layer !== "object" || layer === null)
    throw new TypeError("layer must be a QuantizedConv2dLayer object");
  for (const key of [
    "inChannels",
    "outChannels",
    "kernelH",
    "kernelW",
    "strideH",
    "strideW",
    "dilationH",
    "dilationW",
    "groups",
  ] as const) {
    _assertPositiveInt(layer[key], `layer.${key}`);
  }
  _assertIntIn(layer.padH, 0, Number.MAX_SAFE_INTEGER, "layer.padH");
  _assertIntIn(layer.padW, 0, Number.MAX_SAFE_INTEGER, "layer.padW");
  if (layer.inChannels % layer.groups !== 0 || layer.outChannels % layer.groups !== 0) {
    throw new RangeError(
      `layer.groups (${layer.groups}) must divide layer.inChannels (${layer.inChannels}) and layer.outChannels (${layer.outChannels})`,
    );
  }
  const weightLength = layer.outChannels * (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW;
  assertCommon(layer, layer.outChannels, weightLength);
}
