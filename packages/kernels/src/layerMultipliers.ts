import { assertOptions } from "@quantkit/tensor";
import { _channelScales, _multipliers, _productScales, type Scales } from "./_quantizeLayer";
import { _assertPositiveFinite } from "./_validate";

/**
 * The fixed-point requantization of a quantized layer, as `prepareQuantizedLinear` and
 * `prepareQuantizedConv2d` make it: per output channel the product scale fround(s_in * s_w[c]) (a float32
 * product, as TFLite's converter takes it), then the real multiplier productScale / s_out (in double)
 * written as a multiplier and shift by `quantizeMultiplier`. One pair for a per-tensor weight scale
 * (a number), one per channel for an array. Use it to check that a layer's multipliers belong to the
 * scales around it.
 *
 * Errors: scales that are not positive and finite, or a ratio that `quantizeMultiplier` refuses
 * (RangeError naming the channel).
 *
 * @example
 * layerMultipliers({ inputScale: 0.02, weightScale: 0.01, outputScale: 0.05 })
 * // { multiplier: Int32Array [1099511600], shift: Int32Array [-7] }   (0.004)
 * layerMultipliers({ inputScale: 1, weightScale: new Float32Array([0.5, 0.25]), outputScale: 2 })
 * // { multiplier: Int32Array [1073741824, 1073741824], shift: Int32Array [-1, -2] }
 */
export function layerMultipliers(p: { inputScale: number; weightScale: Scales; outputScale: number }): {
  multiplier: Int32Array;
  shift: Int32Array;
} {
  assertOptions(p, ["inputScale", "weightScale", "outputScale"], "layerMultipliers params");
  if (typeof p !== "object" || p === null) throw new TypeError("layerMultipliers params must be an object");
  _assertPositiveFinite(p.inputScale, "inputScale");
  _assertPositiveFinite(p.outputScale, "outputScale");
  const perChannel = typeof p.weightScale !== "number";
  const channels = perChannel ? (p.weightScale as Float32Array).length : 1;
  const { values } = _channelScales(p.weightScale, channels, "weightScale");
  return _multipliers(_productScales(p.inputScale, values), p.outputScale, perChannel);
}
