import { _assertIntIn } from "./_validate";

const TWO_15 = 32768;
const TWO_16 = 65536;
const TWO_30 = 1073741824;
const TWO_31 = 2147483648;
const INT32_MIN = -2147483648;

/**
 * gemmlowp's SaturatingRoundingDoublingHighMul, exact for every pair of int32: the high 32 bits of
 * 2ab rounded to nearest (the 64-bit (ab + nudge) / 2^31 truncated toward zero, nudge = 2^30 or
 * 1 - 2^30 by the sign of ab), saturating the one overflow INT32_MIN * INT32_MIN to INT32_MAX.
 *
 * ab can reach 2^62, past a double's 53 bits, so it is never formed: with b = bh * 2^16 + bl
 * (bl in [0, 2^16)), a * bh and a * bl are exact doubles (< 2^47), and a * bh = q1 * 2^15 + r1 moves
 * the part at and above 2^31 into q1, leaving t = r1 * 2^16 + a * bl + nudge below 2^48, exact too.
 * Inputs must be int32 (unchecked: the hot path of requantization).
 */
export function _saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return 2147483647;
  const bh = b >> 16; // signed high half
  const bl = b & 0xffff; // unsigned low half
  const p1 = a * bh;
  const q1 = Math.floor(p1 / TWO_15);
  const r1 = p1 - q1 * TWO_15; // in [0, 2^15)
  const nonNegative = a === 0 || b === 0 || a < 0 === b < 0;
  const t = r1 * TWO_16 + a * bl + (nonNegative ? TWO_30 : 1 - TWO_30);
  const f = Math.floor(t / TWO_31);
  const high = q1 + f; // floor((ab + nudge) / 2^31)
  // C's integer division truncates toward zero: step up when the quotient is negative and inexact.
  return high < 0 && t - f * TWO_31 !== 0 ? high + 1 : high;
}

/**
 * gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero, for int32 x
 * and exponent in [0, 31] (unchecked).
 */
export function _roundingDivideByPOT(x: number, exponent: number): number {
  const mask = (2 ** exponent - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** {@link multiplyByQuantizedMultiplier} without argument checks (the requantization hot path). */
export function _multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = Math.max(shift, 0);
  const right = shift > 0 ? 0 : -shift;
  return _roundingDivideByPOT(_saturatingRoundingDoublingHighMul(Math.imul(x, 1 << left), multiplier), right);
}

/**
 * TFLite's `MultiplyByQuantizedMultiplier`: x * multiplier * 2^(shift - 31) in integers only, as
 * SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), multiplier) followed by
 * RoundingDivideByPOT(., max(-shift, 0)). Bit-exact with the C++ for every int32 x and multiplier,
 * INT32_MIN and the rounding ties included (tested against a BigInt reference). As in TFLite's int32
 * arithmetic, x * 2^shift wraps modulo 2^32 for a left shift.
 *
 * Valid input: x int32, multiplier a non-negative int32 (quantizeMultiplier gives 0 or [2^30, 2^31 - 1]), shift an integer in [-31, 30] (RangeError otherwise).
 *
 * @example
 * const { multiplier, shift } = quantizeMultiplier(0.25);
 * multiplyByQuantizedMultiplier(10, multiplier, shift)  // 3   (2.5 rounds away from zero)
 * multiplyByQuantizedMultiplier(-10, multiplier, shift) // -3
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  _assertIntIn(x, INT32_MIN, 2147483647, "x", "int32");
  // A negative multiplier would flip the sign of every output: quantizeMultiplier never gives one.
  _assertIntIn(multiplier, 0, 2147483647, "multiplier", "non-negative int32");
  _assertIntIn(shift, -31, 30, "shift");
  return _multiplyByQuantizedMultiplier(x, multiplier, shift);
}
