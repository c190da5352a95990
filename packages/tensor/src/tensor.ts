import { assertShape, type Shape } from "./shape";

/** The typed arrays a quantkit tensor may hold. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** A shaped typed array: `data` in row-major order, `shape` outermost first. No copy is hidden in it. */
export interface Tensor<T extends TypedArray = Float32Array> {
  readonly data: T;
  readonly shape: Shape;
}

/**
 * Wraps a typed array as a tensor after checking that the shape fits it (no copy).
 *
 * @example
 * const t = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * t.shape // [2, 3]
 */
export function tensor<T extends TypedArray>(data: T, shape: Shape, name = "data"): Tensor<T> {
  if (!ArrayBuffer.isView(data)) {
    throw new TypeError(`${name} must be a typed array, got ${Object.prototype.toString.call(data)}`);
  }
  assertShape(data.length, shape, name);
  return { data, shape: [...shape] };
}

/**
 * Throws when a float array holds NaN or Infinity, naming the argument and the first bad index.
 *
 * @example
 * assertFinite(new Float32Array([1, NaN]), "x") // throws RangeError: x[1] is NaN; ...
 */
export function assertFinite(data: ArrayLike<number>, name = "x"): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is 0 for finite v and NaN for NaN and ±Infinity: one compare on the hot path.
    if (v - v !== 0) {
      throw new RangeError(`${name}[${i}] is ${v}; only finite values can be quantized or calibrated`);
    }
  }
}
