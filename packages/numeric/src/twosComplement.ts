import { _assertBigInt } from "./_errors";
import { _checkIntArgs, _outOfRange } from "./_intCheck";

/**
 * The two's complement bit pattern of a signed integer, read as an unsigned integer: for `bits` = n,
 * `value` in [-2^(n-1), 2^(n-1) - 1] maps to `value` when it is >= 0 and to `value + 2^n` when negative.
 * This is how a CPU or GPU stores an int8/int16/int32: the top bit carries weight -2^(n-1), so there is
 * one zero and addition is the same circuit for signed and unsigned numbers.
 *
 * `bits` is 1..32 for a number `value`, 1..64 for a bigint `value` (the result has the same type).
 * Throws RangeError when `value` is not an integer or does not fit in `bits` signed bits.
 *
 * @example
 * toTwosComplement(-3, 8)   // 253 (0b11111101)
 * toTwosComplement(127, 8)  // 127
 * toTwosComplement(-1, 32)  // 4294967295
 * toTwosComplement(-1n, 64) // 18446744073709551615n
 */
export function toTwosComplement(value: number, bits: number): number;
export function toTwosComplement(value: bigint, bits: number): bigint;
export function toTwosComplement(value: number | bigint, bits: number): number | bigint {
  if (_checkIntArgs(value, bits, "value")) {
    const b = BigInt(bits);
    const min = -(1n << (b - 1n));
    const max = (1n << (b - 1n)) - 1n;
    if (value < min || value > max) _outOfRange("value", value, min, max, `signed ${bits}-bit`);
    return value < 0n ? value + (1n << b) : value;
  }
  const v = value as number;
  const min = -(2 ** (bits - 1));
  const max = 2 ** (bits - 1) - 1;
  if (v < min || v > max) _outOfRange("value", v, min, max, `signed ${bits}-bit`);
  // Arithmetic, not `v >>> 0`: the shift operators work mod 2^32 and lose the width for bits < 32.
  return v < 0 ? v + 2 ** bits : v + 0; // + 0 turns -0 into 0
}

/**
 * The signed integer that a `bits`-wide two's complement pattern stands for: `pattern` in [0, 2^n - 1]
 * maps to `pattern` below 2^(n-1) and to `pattern - 2^n` from there on (the top bit weighs -2^(n-1)).
 *
 * `bits` is 1..32 for a number `pattern`, 1..64 for a bigint `pattern`.
 * Throws RangeError when `pattern` is not an integer in [0, 2^bits - 1].
 *
 * @example
 * fromTwosComplement(253, 8)         // -3
 * fromTwosComplement(0b1000, 4)      // -8
 * fromTwosComplement(0xffffffff, 32) // -1
 * fromTwosComplement(2n ** 63n, 64)  // -9223372036854775808n
 */
export function fromTwosComplement(pattern: number, bits: number): number;
export function fromTwosComplement(pattern: bigint, bits: number): bigint;
export function fromTwosComplement(pattern: number | bigint, bits: number): number | bigint {
  if (_checkIntArgs(pattern, bits, "pattern")) {
    const b = BigInt(bits);
    const max = (1n << b) - 1n;
    if (pattern < 0n || pattern > max) _outOfRange("pattern", pattern, 0n, max, `${bits}-bit pattern`);
    return pattern >= 1n << (b - 1n) ? pattern - (1n << b) : pattern;
  }
  const p = pattern as number;
  const max = 2 ** bits - 1;
  if (p < 0 || p > max) _outOfRange("pattern", p, 0, max, `${bits}-bit pattern`);
  return p >= 2 ** (bits - 1) ? p - 2 ** bits : p + 0;
}

/**
 * {@link toTwosComplement} for int64: the uint64 bit pattern of a bigint in [-2^63, 2^63 - 1].
 *
 * @example
 * toTwosComplement64(-2n) // 18446744073709551614n
 */
export function toTwosComplement64(value: bigint): bigint {
  _assertBigInt(value, "value");
  return toTwosComplement(value, 64);
}

/**
 * {@link fromTwosComplement} for int64: the signed value of a uint64 pattern in [0, 2^64 - 1].
 *
 * @example
 * fromTwosComplement64(0xffff_ffff_ffff_fffen) // -2n
 */
export function fromTwosComplement64(pattern: bigint): bigint {
  _assertBigInt(pattern, "pattern");
  return fromTwosComplement(pattern, 64);
}
