/** A tensor's shape: one non-negative integer a dimension, outermost first (row-major). */
export type Shape = readonly number[];

/**
 * The number of elements a shape holds (1 for a scalar shape `[]`).
 *
 * @example
 * sizeOf([2, 3, 4]) // 24
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `shape[${i}] must be a non-negative integer, got ${d} (shape [${shape.join(", ")}])`,
      );
    }
    n *= d;
  }
  return n;
}

/**
 * Row-major (C-order) strides of a shape, in elements.
 *
 * @example
 * stridesOf([2, 3, 4]) // [12, 4, 1]
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * Resolves a possibly negative axis (`-1` is the last) against a rank, throwing when it is out of range.
 *
 * @example
 * normalizeAxis(-1, 3, "chAxis") // 2
 */
export function normalizeAxis(axis: number, rank: number, name = "axis"): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(
      `${name} must be an integer in [${-rank}, ${rank - 1}] for a rank-${rank} tensor, got ${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Checks that an array of `length` elements holds a tensor of `shape`, and returns the size.
 * The error names the argument, the shape and the length.
 *
 * @example
 * assertShape(6, [2, 3], "x") // 6
 * assertShape(5, [2, 3], "x") // throws RangeError: x has 5 elements but shape [2, 3] needs 6
 */
export function assertShape(length: number, shape: Shape, name = "x"): number {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${name}: shape must be an array of integers, got ${String(shape)}`);
  }
  const n = sizeOf(shape);
  if (n !== length) {
    throw new RangeError(`${name} has ${length} elements but shape [${shape.join(", ")}] needs ${n}`);
  }
  return n;
}

/**
 * Splits a shape around an axis into (outer, channels, inner) counts, the view every per-axis
 * loop uses: element (o, c, i) is at `(o * channels + c) * inner + i`.
 *
 * @example
 * splitAtAxis([2, 3, 4], 1) // { outer: 2, channels: 3, inner: 4 }
 */
export function splitAtAxis(shape: Shape, axis: number): { outer: number; channels: number; inner: number } {
  const a = normalizeAxis(axis, shape.length);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= shape[i]!;
  for (let i = a + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, channels: shape[a]!, inner };
}
