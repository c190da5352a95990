import { _assertSigned } from "./_errors";
import { _checkIntArgs } from "./_intCheck";

/**
 * Reduces an integer modulo 2^bits into the range of a `bits`-wide integer type: what a fixed-width
 * register does on overflow (int8: 127 + 1 -> -128; C's unsigned arithmetic; JS's `x | 0` for 32 bits).
 * The result is congruent to `value` mod 2^bits and lies in {@link intRange}(bits, signed).
 *
 * `bits` is 1..32 for a number `value` (any integer magnitude: the remainder of a double by a power of
 * two is exact), 1..64 for a bigint `value`. Throws RangeError when `value` is not an integer.
 *
 * @example
 * wrap(128, 8, true)    // -128
 * wrap(-1, 8, false)    // 255
 * wrap(2 ** 32 + 5, 32, true) // 5
 * wrap(2n ** 63n, 64, true)   // -9223372036854775808n
 */
export function wrap(value: number, bits: number, signed: boolean): number;
export function wrap(value: bigint, bits: number, signed: boolean): bigint;
export function wrap(value: number | bigint, bits: number, signed: boolean): number | bigint {
  const big = _checkIntArgs(value, bits, "value");
  _assertSigned(signed);
  if (big) return signed ? BigInt.asIntN(bits, value as bigint) : BigInt.asUintN(bits, value as bigint);
  const modulus = 2 ** bits;
  // `%` on doubles is exact (fmod), so this holds for integers far beyond 2^53.
  let r = (value as number) % modulus;
  if (r < 0) r += modulus;
  if (signed && r >= modulus / 2) r -= modulus;
  return r + 0;
}
