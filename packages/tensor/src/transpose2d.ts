import type { TypedArray } from "./tensor";

/**
 * The transpose of a row-major `rows` x `cols` matrix: a new array of the same type, `cols` x
 * `rows`, with out[c, r] = src[r, c]. RangeError when `src` does not hold rows x cols elements.
 *
 * @example
 * transpose2d(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3) // Float32Array [1, 4, 2, 5, 3, 6]
 */
export function transpose2d<T extends TypedArray>(src: T, rows: number, cols: number): T {
  if (src.length !== rows * cols) {
    throw new RangeError(`src has ${src.length} elements, expected rows * cols = ${rows} * ${cols}`);
  }
  const out = new (src.constructor as new (length: number) => T)(src.length);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[row + c]!;
  }
  return out;
}
