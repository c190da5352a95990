/**
 * The one BigInt reference of fixed-point requantization, shared by the tests of kernels,
 * kernels-gpu and ptq: gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT and
 * TFLite's MultiplyByQuantizedMultiplier, written from their C++ text with BigInt so that nothing
 * can overflow or round (independent of every kernel's int32 or float32-limb arithmetic).
 */

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** gemmlowp SaturatingRoundingDoublingHighMul on int32 values: (a b + nudge) / 2^31, truncated toward zero. */
export function refSaturatingRoundingDoublingHighMul(a: bigint, b: bigint): bigint {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return (ab + nudge) / (1n << 31n); // BigInt division truncates toward zero, as C++'s does
}

/** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. */
export function refRoundingDivideByPOT(x: bigint, exponent: bigint): bigint {
  const mask = (1n << exponent) - 1n;
  const remainder = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> exponent) + (remainder > threshold ? 1n : 0n);
}

/** TFLite MultiplyByQuantizedMultiplier: int32 x times (1 << left shift), wrapping like int32, then the two above. */
export function refMultiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = BigInt(Math.max(shift, 0));
  const right = BigInt(Math.max(-shift, 0));
  const shifted = BigInt.asIntN(32, BigInt(x) << left);
  return Number(
    refRoundingDivideByPOT(refSaturatingRoundingDoublingHighMul(shifted, BigInt(multiplier)), right),
  );
}
