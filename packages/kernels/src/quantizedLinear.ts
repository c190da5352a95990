import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { checkQuantizedLinearArgs } from "./checkKernelArgs";
import type { QuantizedLinearLayer } from "./types";

/**
 * Integer-only quantized Linear: uint8 x [batch, inFeatures] -> uint8 [batch, outFeatures],
 * y = clamp(requantize(sum_k x[b, k] w[c, k] + bias[c] - z_in sum_k w[c, k]) + z_out): uint8 x int8
 * products in int32, the int32 bias, a fixed-point multiplier per channel, no float on the way. The
 * layer comes from {@link prepareQuantizedLinear}. Matches onnxruntime's QLinearMatMul up to its
 * float rounding (off by one on a small fraction of outputs; the tests state how often) on CPUs where
 * its uint8 x int8 sums are exact (x86 with VNNI; see the package README).
 *
 * Errors: x of the wrong length or type, a malformed layer (RangeError / TypeError naming the field).
 *
 * @example
 * const layer = prepareQuantizedLinear({
 *   weight: new Int8Array([127, 0, 0, -127]), inFeatures: 2, outFeatures: 2, weightScale: 1 / 127,
 *   inputScale: 0.1, inputZeroPoint: 0, outputScale: 0.1, outputZeroPoint: 128,
 * });
 * quantizedLinear(new Uint8Array([10, 20]), layer, 1) // Uint8Array [138, 108]: (1.0, -2.0)
 */
export function quantizedLinear(
  x: Uint8Array,
  layer: QuantizedLinearLayer,
  batch: number,
  out?: Uint8Array,
): Uint8Array {
  return _quantizedLinear(_defaultEngine(), x, layer, batch, out);
}

/** {@link quantizedLinear} on a given engine. */
export function _quantizedLinear(
  engine: _Engine,
  x: Uint8Array,
  layer: QuantizedLinearLayer,
  batch: number,
  out?: Uint8Array,
): Uint8Array {
  const y = checkQuantizedLinearArgs(x, layer, batch, out);
  if (batch > 0) engine.quantizedLinear(x, layer, batch, y);
  return y;
}
