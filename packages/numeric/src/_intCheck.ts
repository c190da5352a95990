import { _assertBits, _assertInteger, _BIGINT_HINT, _describe } from "./_errors";

/**
 * Validates `bits` for the value's kind (1..32 for a number, 1..64 for a bigint) and `value` as an
 * integer of that kind. Returns true when the value is a bigint.
 */
export function _checkIntArgs(value: unknown, bits: unknown, name: string): value is bigint {
  if (typeof value === "bigint") {
    _assertBits(bits, 64);
    return true;
  }
  _assertBits(bits, 32, _BIGINT_HINT);
  _assertInteger(value, name);
  return false;
}

/** Throws the RangeError for an integer outside [min, max] of a `bits`-wide type. */
export function _outOfRange(
  name: string,
  value: number | bigint,
  min: number | bigint,
  max: number | bigint,
  type: string,
): never {
  throw new RangeError(
    `${name} must be in ${_describe(min)}..${_describe(max)} (${type}), got ${_describe(value)}`,
  );
}
