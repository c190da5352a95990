import { _checkIntArgs, _outOfRange } from "./_intCheck";

/**
 * The `bits`-character binary string of an integer as a `bits`-wide register holds it: negative values
 * in two's complement, non-negative values up to 2^bits - 1 as plain binary (so both the signed and
 * the unsigned reading of a byte print as the same 8 characters). Most significant bit first.
 *
 * `bits` is 1..32 for a number `value`, 1..64 for a bigint `value`.
 * Throws RangeError when `value` is not an integer in [-2^(bits-1), 2^bits - 1].
 *
 * @example
 * toBits(-3, 8)   // "11111101"
 * toBits(253, 8)  // "11111101"
 * toBits(5, 4)    // "0101"
 * toBits(-1n, 64) // "1111111111111111111111111111111111111111111111111111111111111111"
 */
export function toBits(value: number | bigint, bits: number): string {
  if (_checkIntArgs(value, bits, "value")) {
    const b = BigInt(bits);
    const min = -(1n << (b - 1n));
    const max = (1n << b) - 1n;
    if (value < min || value > max) _outOfRange("value", value, min, max, `${bits}-bit, signed or unsigned`);
    return BigInt.asUintN(bits, value).toString(2).padStart(bits, "0");
  }
  const v = value as number;
  const min = -(2 ** (bits - 1));
  const max = 2 ** bits - 1;
  if (v < min || v > max) _outOfRange("value", v, min, max, `${bits}-bit, signed or unsigned`);
  return (v < 0 ? v + 2 ** bits : v).toString(2).padStart(bits, "0");
}
