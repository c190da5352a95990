import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { _assertInstance, _assertIntIn, _assertPositiveInt, _describe } from "./_validate";

/** Parameters of {@link requantize}: the fixed-point scaling and the output code range. */
export interface RequantizeParams {
  /** Fixed-point multipliers (from {@link quantizeMultiplier}), one per tensor or one per channel. */
  multiplier: Int32Array;
  /** Their shifts (TFLite convention), same length as `multiplier`, each in [-31, 30]. */
  shift: Int32Array;
  /** Zero point of the output codes. */
  outputZeroPoint: number;
  /** Output clamp [outputMin, outputMax], inside the output dtype (a fused ReLU sets outputMin = zero point). */
  outputMin: number;
  outputMax: number;
  /** Length of the channel axis, the last axis of `acc`: element i belongs to channel i % channels. */
  channels: number;
}

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
  _assertInstance(acc, Int32Array, "Int32Array", "acc");
  if (typeof params !== "object" || params === null) throw new TypeError("params must be an object");
  const { multiplier, shift, outputZeroPoint, outputMin, outputMax, channels } = params;
  _assertPositiveInt(channels, "params.channels");
  if (acc.length % channels !== 0) {
    throw new RangeError(`acc length ${acc.length} is not a multiple of params.channels (${channels})`);
  }
  _assertRequantArrays(multiplier, shift, channels, "params");
  _assertIntIn(outputMin, -128, 255, "params.outputMin");
  _assertIntIn(outputMax, outputMin, 255, "params.outputMax", "outputMin..255");
  let target = out;
  if (target === undefined) target = outputMin >= 0 ? new Uint8Array(acc.length) : new Int8Array(acc.length);
  if (!(target instanceof Uint8Array) && !(target instanceof Int8Array)) {
    throw new TypeError(`out must be a Uint8Array or an Int8Array, got ${_describe(target)}`);
  }
  const [lo, hi] = target instanceof Int8Array ? [-128, 127] : [0, 255];
  if (outputMin < lo || outputMax > hi) {
    throw new RangeError(
      `[outputMin, outputMax] = [${outputMin}, ${outputMax}] must lie inside the output dtype [${lo}, ${hi}]`,
    );
  }
  _assertIntIn(outputZeroPoint, lo, hi, "params.outputZeroPoint");
  if (target.length !== acc.length) {
    throw new RangeError(`out must have the length of acc (${acc.length}), got ${target.length}`);
  }
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
