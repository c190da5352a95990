import { assertConvGroups } from "@quantkit/tensor";
import { _assertInstance, _assertIntIn, _assertLength, _assertPositiveInt } from "./_validate";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./types";

/** The parts every quantized layer has: zero points, int32 bias, multipliers, clamp. */
function assertCommon(
  layer: QuantizedLinearLayer | QuantizedConv2dLayer,
  channels: number,
  weightLength: number,
  name: string,
): void {
  _assertInstance(layer.weight, Int8Array, "Int8Array", `${name}.weight`);
  _assertLength(layer.weight, weightLength, `${name}.weight`, "its shape's size");
  _assertInstance(layer.bias, Int32Array, "Int32Array", `${name}.bias`);
  _assertLength(layer.bias, channels, `${name}.bias`, "the number of output channels");
  _assertIntIn(layer.inputZeroPoint, 0, 255, `${name}.inputZeroPoint`, "uint8");
  _assertIntIn(layer.outputZeroPoint, 0, 255, `${name}.outputZeroPoint`, "uint8");
  _assertIntIn(layer.outputMin, 0, 255, `${name}.outputMin`, "uint8");
  _assertIntIn(layer.outputMax, layer.outputMin, 255, `${name}.outputMax`, "outputMin..255");
  _assertRequantArrays(layer.multiplier, layer.shift, channels, name);
}

/** Checks a {@link QuantizedLinearLayer}'s fields against each other. */
export function _assertLinearLayer(layer: QuantizedLinearLayer, name: string): void {
  if (typeof layer !== "object" || layer === null)
    throw new TypeError(`${name} must be a QuantizedLinearLayer object`);
  _assertPositiveInt(layer.inFeatures, `${name}.inFeatures`);
  _assertPositiveInt(layer.outFeatures, `${name}.outFeatures`);
  assertCommon(layer, layer.outFeatures, layer.inFeatures * layer.outFeatures, name);
}

/** Checks a {@link QuantizedConv2dLayer}'s fields against each other. */
export function _assertConvLayer(layer: QuantizedConv2dLayer, name: string): void {
  if (typeof layer !== "object" || layer === null)
    throw new TypeError(`${name} must be a QuantizedConv2dLayer object`);
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
    _assertPositiveInt(layer[key], `${name}.${key}`);
  }
  _assertIntIn(layer.padH, 0, Number.MAX_SAFE_INTEGER, `${name}.padH`);
  _assertIntIn(layer.padW, 0, Number.MAX_SAFE_INTEGER, `${name}.padW`);
  assertConvGroups(layer.inChannels, layer.outChannels, layer.groups, `${name}.`);
  const weightLength = layer.outChannels * (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW;
  assertCommon(layer, layer.outChannels, weightLength, name);
}

/** Checks a multiplier/shift pair: Int32Arrays of length 1 or `channels`, multipliers >= 0, shifts in [-31, 30]. */
export function _assertRequantArrays(
  multiplier: unknown,
  shift: unknown,
  channels: number,
  owner: string,
): void {
  _assertInstance(multiplier, Int32Array, "Int32Array", `${owner}.multiplier`);
  _assertInstance(shift, Int32Array, "Int32Array", `${owner}.shift`);
  if (multiplier.length !== 1 && multiplier.length !== channels) {
    throw new RangeError(
      `${owner}.multiplier must have length 1 (per tensor) or ${channels} (per channel), got ${multiplier.length}`,
    );
  }
  if (shift.length !== multiplier.length) {
    throw new RangeError(
      `${owner}.shift must have the length of ${owner}.multiplier (${multiplier.length}), got ${shift.length}`,
    );
  }
  for (let i = 0; i < shift.length; i++) {
    const s = shift[i]!;
    if (s < -31 || s > 30)
      throw new RangeError(`${owner}.shift[${i}] must be an integer in [-31, 30], got ${s}`);
    if (multiplier[i]! < 0)
      throw new RangeError(
        `${owner}.multiplier[${i}] must be non-negative (quantizeMultiplier gives 0 or [2^30, 2^31 - 1]), got ${multiplier[i]}`,
      );
  }
}
