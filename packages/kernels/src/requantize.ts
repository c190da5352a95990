import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { checkRequantizeArgs } from "./checkKernelArgs";
import type { RequantizeParams } from "./types";

export type { RequantizeParams } from "./types";

/**
 * Integer-only requantization of int32 accumulators to 8-bit codes:
 * y = clamp(multiplyByQuantizedMultiplier(acc, multiplier[ch], shift[ch]) + outputZeroPoint,
 * outputMin, outputMax), channel = last axis. No float anywhere. The output is a Uint8Array when
 * outputMin >= 0, else an Int8Array (or `out`, whose dtype must hold [outputMin, outputMax]).
 *
 * Errors: mismatched lengths, a shift outside [-31, 30], a clamp outside the output dtype (RangeError).
 *
 * @example
 * const { multiplier, shift } = quantizeMultiplier(0.5);
 * requantize(new Int32Array([-300, 7, 100, 400]), {
 *   multiplier: new Int32Array([multiplier]), shift: new Int32Array([shift]),
 *   outputZeroPoint: 128, outputMin: 0, outputMax: 255, channels: 4,
 * }) // Uint8Array [0, 132, 178, 255]: -150 + 128 clamps to 0, 3.5 rounds to 4
 */
export function requantize(
  acc: Int32Array,
  params: RequantizeParams,
  out?: Uint8Array | Int8Array,
): Uint8Array | Int8Array {
  return _requantize(_defaultEngine(), acc, params, out);
}

/** {@link requantize} on a given engine. */
export function _requantize(
  engine: _Engine,
  acc: Int32Array,
  params: RequantizeParams,
  out?: Uint8Array | Int8Array,
): Uint8Array | Int8Array {
  const target = checkRequantizeArgs(acc, params, out);
  const { multiplier, shift, outputZeroPoint, outputMin, outputMax, channels } = params;
  if (acc.length === 0) return target;
  engine.requantize(
    acc,
    acc.length / channels,
    channels,
    {
      bias: null,
      biasOffset: 0,
      multiplier,
      shift,
      paramOffset: 0,
      byRow: false,
      zeroPoint: outputZeroPoint,
      qmin: outputMin,
      qmax: outputMax,
    },
    target,
  );
  return target;
}
