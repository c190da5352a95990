import { _assertSigned } from "./_errors";
import { _checkIntArgs } from "./_intCheck";

/**
 * Clamps an integer into the range of a `bits`-wide integer type: values below the minimum become the
 * minimum, values above the maximum become the maximum (saturating arithmetic, what a quantizer's
 * clamp to [quantMin, quantMax] and the ARM/x86 saturating instructions do).
 *
 * `bits` is 1..32 for a number `value` (any integer magnitude), 1..64 for a bigint `value`.
 * Throws RangeError when `value` is not an integer (round first; ±Infinity and NaN are not integers).
 *
 * @example
 * saturate(300, 8, true)   // 127
 * saturate(-300, 8, true)  // -128
 * saturate(-5, 8, false)   // 0
 * saturate(2n ** 70n, 64, false) // 18446744073709551615n
 */
export function saturate(value: number, bits: number, signed: boolean): number;
export function saturate(value: bigint, bits: number, signed: boolean): bigint;
export function saturate(value: number | bigint, bits: number, signed: boolean): number | bigint {
  const big = _checkIntArgs(value, bits, "value");
  _assertSigned(signed);
  if (big) {
    const b = BigInt(bits);
    const min = signed ? -(1n << (b - 1n)) : 0n;
    const max = signed ? (1n << (b - 1n)) - 1n : (1n << b) - 1n;
    const v = value as bigint;
    return v < min ? min : v > max ? max : v;
  }
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const v = value as number;
  return v < min ? min : v > max ? max : v + 0;
}
