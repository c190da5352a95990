import { _assertBits, _assertSigned, _BIGINT_HINT } from "./_errors";

/** The smallest and largest integer of a fixed-width integer type. */
export interface IntRange<T extends number | bigint = number> {
  readonly min: T;
  readonly max: T;
}

/**
 * The range of a `bits`-wide integer: signed (two's complement) is [-2^(bits-1), 2^(bits-1) - 1],
 * unsigned is [0, 2^bits - 1]. `bits` is an integer in 1..32; use {@link intRangeBigInt} for up to 64.
 *
 * These are the `quantMin` / `quantMax` of a full-range quantized dtype (qint8: -128..127,
 * quint8: 0..255); the deck's symmetric scheme narrows the signed one to [-(2^(n-1) - 1), 2^(n-1) - 1].
 *
 * @example
 * intRange(8, true)  // { min: -128, max: 127 }
 * intRange(8, false) // { min: 0, max: 255 }
 * intRange(32, true) // { min: -2147483648, max: 2147483647 }
 */
export function intRange(bits: number, signed: boolean): IntRange<number> {
  _assertBits(bits, 32, _BIGINT_HINT);
  _assertSigned(signed);
  return signed ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
}

/**
 * The range of a `bits`-wide integer as bigints, for widths 1..64 (int64, uint64, the accumulators that
 * outgrow a JS number's exact 2^53).
 *
 * @example
 * intRangeBigInt(64, true)  // { min: -9223372036854775808n, max: 9223372036854775807n }
 * intRangeBigInt(64, false) // { min: 0n, max: 18446744073709551615n }
 */
export function intRangeBigInt(bits: number, signed: boolean): IntRange<bigint> {
  _assertBits(bits, 64);
  _assertSigned(signed);
  const b = BigInt(bits);
  return signed ? { min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n } : { min: 0n, max: (1n << b) - 1n };
}
