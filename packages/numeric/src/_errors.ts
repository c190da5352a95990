/** Shows a bad argument the way a reader expects it in an error message (-0, 5n, "text", typeof others). */
export function _describe(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (ArrayBuffer.isView(value)) return Object.prototype.toString.call(value);
  return typeof value === "object" ? Object.prototype.toString.call(value) : String(value);
}

/**
 * Checks an integer bit width: `bits` must be an integer in 1..max (32 for numbers, 64 for bigints).
 * Throws TypeError for a non-number, RangeError for a number outside 1..max.
 */
export function _assertBits(bits: unknown, max: 32 | 64, hint = ""): asserts bits is number {
  if (typeof bits !== "number") {
    throw new TypeError(`bits must be a number (an integer in 1..${max}), got ${_describe(bits)}`);
  }
  if (!Number.isInteger(bits) || bits < 1 || bits > max) {
    throw new RangeError(`bits must be an integer in 1..${max}${hint}, got ${_describe(bits)}`);
  }
}

/** Checks that `signed` is a boolean (a common slip is passing the bit width twice). */
export function _assertSigned(signed: unknown): asserts signed is boolean {
  if (typeof signed !== "boolean") throw new TypeError(`signed must be a boolean, got ${_describe(signed)}`);
}

/**
 * Checks that a number argument is an integer (any magnitude): TypeError for a non-number,
 * RangeError for NaN, ±Infinity or a fraction.
 */
export function _assertInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${_describe(value)}`);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${_describe(value)}`);
}

/** Checks that a bigint argument is a bigint: TypeError otherwise. */
export function _assertBigInt(value: unknown, name: string): asserts value is bigint {
  if (typeof value !== "bigint") throw new TypeError(`${name} must be a bigint, got ${_describe(value)}`);
}

/** The message hint for number widths above 32. */
export const _BIGINT_HINT = " for number values (pass a bigint value for widths up to 64)";
