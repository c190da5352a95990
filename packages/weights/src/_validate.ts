import { assertFinite, transpose2d } from "@quantkit/tensor";
import type { BlockBits, ScaleType, WeightBits, WeightLayout } from "./blockQuantized";

/** Throws on keys of `options` outside `allowed` (a typo would otherwise be ignored silently). */
export function _checkKeys(options: object, allowed: readonly string[], fn: string): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)}; known: ${allowed.join(", ")}`);
    }
  }
}

/** The widths the methods take: 2, 3, 4 or 8. */
export function _checkBits(bits: unknown, fn: string): BlockBits {
  if (bits !== 2 && bits !== 3 && bits !== 4 && bits !== 8) {
    throw new RangeError(`${fn}: bits must be 2, 3, 4 or 8, got ${String(bits)}`);
  }
  return bits;
}

/** The widths the ONNX layouts pack into whole bytes: 2, 4 or 8 (`what` names the layout). */
export function _checkPackedBits(bits: unknown, what: string, fn: string): WeightBits {
  if (bits !== 2 && bits !== 4 && bits !== 8) {
    throw new RangeError(
      `${fn}: bits must be 2, 4 or 8 for ${what} (codes packed into whole bytes), got ${String(bits)}`,
    );
  }
  return bits;
}

/** blockSize: a power of two in 16..256 that is at most K (a block larger than K would be all padding). */
export function _checkBlockSize(blockSize: unknown, K: number, fn: string): number {
  if (
    typeof blockSize !== "number" ||
    !Number.isInteger(blockSize) ||
    blockSize < 16 ||
    blockSize > 256 ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new RangeError(
      `${fn}: blockSize must be a power of two in 16..256 (16, 32, 64, 128, 256), got ${String(blockSize)}`,
    );
  }
  if (blockSize > K) {
    throw new RangeError(`${fn}: blockSize ${blockSize} does not fit K = ${K} (blockSize must be <= K)`);
  }
  return blockSize;
}

export function _checkScaleType(scaleType: unknown, fn: string): ScaleType {
  if (scaleType !== "float32" && scaleType !== "float16") {
    throw new TypeError(`${fn}: scaleType must be "float32" or "float16", got ${JSON.stringify(scaleType)}`);
  }
  return scaleType;
}

export function _checkLayout(layout: unknown, fn: string): WeightLayout {
  if (layout !== "NK" && layout !== "KN") {
    throw new TypeError(`${fn}: layout must be "NK" or "KN", got ${JSON.stringify(layout)}`);
  }
  return layout;
}

export function _checkBoolean(value: unknown, name: string, fn: string): boolean {
  if (typeof value !== "boolean")
    throw new TypeError(`${fn}: ${name} must be a boolean, got ${String(value)}`);
  return value;
}

/** A number in [min, max] (inclusive unless `openMin`). */
export function _checkNumber(
  value: unknown,
  name: string,
  fn: string,
  min: number,
  max: number,
  integer = false,
): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RangeError(
      `${fn}: ${name} must be ${integer ? "an integer" : "a number"} in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}

/** Checks a Float32Array of `name` against a 2-D shape and for NaN/Infinity. */
export function _checkMatrix(
  data: unknown,
  shape: unknown,
  name: string,
  fn: string,
): { rows: number; cols: number; data: Float32Array } {
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${fn}: ${name} must be a Float32Array, got ${Object.prototype.toString.call(data)}`);
  }
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d > 0)
  ) {
    throw new RangeError(
      `${fn}: ${name} shape must be two positive integers, got ${JSON.stringify(shape) ?? String(shape)}`,
    );
  }
  const [rows, cols] = shape as [number, number];
  if (data.length !== rows * cols) {
    throw new RangeError(
      `${fn}: ${name} has ${data.length} elements but shape [${rows}, ${cols}] needs ${rows * cols}`,
    );
  }
  assertFinite(data, `${fn}: ${name}`);
  return { rows, cols, data };
}

/** The weight as [N, K] row-major: the array itself for "NK", a transposed copy for "KN". */
export function _weightNK(
  weight: unknown,
  shape: unknown,
  layout: WeightLayout,
  fn: string,
): { N: number; K: number; w: Float32Array } {
  const { rows, cols, data } = _checkMatrix(weight, shape, "weight", fn);
  if (layout === "NK") return { N: rows, K: cols, w: data };
  return { N: cols, K: rows, w: transpose2d(data, rows, cols) };
}

/** Calibration inputs x [rows, K] for a method that needs them: present, a whole number of rows, finite. */
export function _checkCalibration(
  calibration: unknown,
  K: number,
  fn: string,
): { x: Float32Array; rows: number } {
  if (!(calibration instanceof Float32Array)) {
    throw new TypeError(
      `${fn}: calibration inputs are required (a Float32Array [rows, K = ${K}]), got ${String(calibration)}`,
    );
  }
  if (calibration.length === 0 || calibration.length % K !== 0) {
    throw new RangeError(`${fn}: calibration has ${calibration.length} elements, not rows x K with K = ${K}`);
  }
  const rows = calibration.length / K;
  return { x: _checkMatrix(calibration, [rows, K], "calibration", fn).data, rows };
}
