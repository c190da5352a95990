import type { Int8Like } from "./types";

/** Throws unless `value` is a non-negative safe integer (a dimension). */
export function _assertDim(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `value` is a positive safe integer (a size that may not be 0: groups, kernel, stride). */
export function _assertPositiveInt(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/** Throws unless `array` is an Int8Array or a Uint8Array. */
export function _assertInt8Like(array: unknown, name: string): asserts array is Int8Like {
  if (!(array instanceof Int8Array) && !(array instanceof Uint8Array)) {
    throw new TypeError(`${name} must be an Int8Array or a Uint8Array, got ${_describe(array)}`);
  }
}

/** Throws unless `array` is an instance of `type` (named `typeName` in the message). */
export function _assertInstance<T>(
  array: unknown,
  type: abstract new (...args: never[]) => T,
  typeName: string,
  name: string,
): asserts array is T {
  if (!(array instanceof type)) throw new TypeError(`${name} must be a ${typeName}, got ${_describe(array)}`);
}

/** Throws a RangeError unless `array.length === expected`; `formula` says where `expected` comes from. */
export function _assertLength(
  array: { length: number },
  expected: number,
  name: string,
  formula: string,
): void {
  if (array.length !== expected) {
    throw new RangeError(`${name} must have length ${formula} = ${expected}, got ${array.length}`);
  }
}

/** The [min, max] code range of an 8-bit array type. */
export function _rangeOf(array: Int8Like): [number, number] {
  return array instanceof Int8Array ? [-128, 127] : [0, 255];
}

/** Throws unless `zeroPoint` is an integer inside the range of `array`'s dtype. */
export function _assertZeroPoint(
  zeroPoint: unknown,
  array: Int8Like,
  name: string,
): asserts zeroPoint is number {
  const [lo, hi] = _rangeOf(array);
  _assertIntIn(zeroPoint, lo, hi, name, array instanceof Int8Array ? "int8" : "uint8");
}

/** Throws unless `value` is an integer in [lo, hi]; `what` names the range (e.g. "uint8"). */
export function _assertIntIn(
  value: unknown,
  lo: number,
  hi: number,
  name: string,
  what?: string,
): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(
      `${name} must be an integer in [${lo}, ${hi}]${what ? ` (${what})` : ""}, got ${value}`,
    );
  }
}

/** Throws unless `value` is a positive finite number (a scale). */
export function _assertPositiveFinite(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

/** A short description of a value for error messages: the typed array's class, or typeof. */
export function _describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
