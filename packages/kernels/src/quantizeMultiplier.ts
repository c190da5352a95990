import { _assertPositiveFinite } from "./_validate";

/** A real multiplier as a Q0.31 fixed-point integer and a power-of-two exponent. */
export interface QuantizedMultiplier {
  /** In [2^30, 2^31 - 1] (0 only when the real multiplier is below about 2^-32 and flushes to zero). */
  multiplier: number;
  /** TFLite's convention: real = multiplier * 2^(shift - 31); positive = left shift. In [-31, 30]. */
  shift: number;
}

const frexpView = new DataView(new ArrayBuffer(8));

/**
 * TFLite's `QuantizeMultiplier`: writes a real multiplier (e.g. s_in * s_w / s_out) as
 * `multiplier * 2^(shift - 31)` with `multiplier` a 31-bit fixed-point mantissa: frexp, round
 * q * 2^31 half away from zero, carry 2^31 into the shift, flush shifts below -31 to (0, 0).
 * This is where a float becomes integer-only arithmetic: {@link multiplyByQuantizedMultiplier} then
 * applies it with no float at all.
 *
 * Valid input: a positive finite number below 2^30 (a left shift above 30 would overflow int32
 * arithmetic; TFLite's single-rounding variant saturates there, quantkit refuses). RangeError otherwise.
 *
 * @example
 * quantizeMultiplier(0.5)    // { multiplier: 1073741824, shift: 0 }   (2^30 * 2^-31 = 0.5)
 * quantizeMultiplier(0.0123) // { multiplier: 1690499128, shift: -6 }
 * quantizeMultiplier(3)      // { multiplier: 1610612736, shift: 2 }
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  _assertPositiveFinite(realMultiplier, "realMultiplier");
  frexpView.setFloat64(0, realMultiplier);
  const biasedExponent = (frexpView.getUint32(0) >>> 20) & 0x7ff;
  // Subnormal doubles are far below 2^-31: TFLite flushes them (shift < -31) to zero.
  if (biasedExponent === 0) return { multiplier: 0, shift: 0 };
  // frexp: realMultiplier = q * 2^shift with q in [0.5, 1).
  let shift = biasedExponent - 1022;
  if (shift > 31) throw new RangeError(`realMultiplier must be below 2^30, got ${realMultiplier}`);
  const q = realMultiplier / 2 ** shift; // exact: a power-of-two scaling of a normal double
  let fixed = Math.round(q * 2147483648); // q * 2^31 is exact; ties round up = away from zero (q > 0)
  if (fixed === 2147483648) {
    fixed /= 2;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (shift > 30) throw new RangeError(`realMultiplier must be below 2^30, got ${realMultiplier}`);
  return { multiplier: fixed, shift };
}
