import { assertShape, normalizeAxis, type Shape } from "@quantkit/tensor";
import { _assertFloat32, _nonFinite } from "./_plan";

/**
 * The minimum and maximum of every group of `groupSize` consecutive elements along `axis` (separately
 * for every index of the other axes), laid out as per-group `QParams` expect: row-major over the shape
 * with shape[axis] replaced by shape[axis] / groupSize. groupSize = shape[axis] gives one range per
 * index of the other axes (for a 2-D [out, in] tensor and axis 1: one per row).
 *
 * @example
 * import { groupMinMax } from "@quantkit/quantizers";
 * groupMinMax(new Float32Array([1, -2, 3, 4, 0, 5, -6, 7]), [2, 4], 1, 2)
 * // { min: Float32Array [-2, 3, 0, -6], max: Float32Array [1, 4, 5, 7] }
 */
export function groupMinMax(
  x: Float32Array,
  shape: Shape,
  axis: number,
  groupSize: number,
): { min: Float32Array; max: Float32Array } {
  _assertFloat32(x, "x");
  const n = assertShape(x.length, shape, "x");
  if (n === 0) throw new RangeError(`x is empty (shape [${shape.join(", ")}])`);
  if (shape.length === 0) throw new RangeError("per-group ranges need a tensor of rank >= 1, got shape []");
  const a = normalizeAxis(axis, shape.length, "axis");
  const channels = shape[a]!;
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new RangeError(`groupSize must be a positive integer, got ${groupSize}`);
  }
  if (channels % groupSize !== 0) {
    throw new RangeError(
      `groupSize = ${groupSize} does not divide shape[${a}] = ${channels} (shape [${shape.join(", ")}])`,
    );
  }
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= shape[i]!;
  for (let i = a + 1; i < shape.length; i++) inner *= shape[i]!;
  const groups = channels / groupSize;
  const pairs = outer * groups * inner;
  const min = new Float32Array(pairs).fill(Number.POSITIVE_INFINITY);
  const max = new Float32Array(pairs).fill(Number.NEGATIVE_INFINITY);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * groups + Math.floor(c / groupSize)) * inner;
      const start = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[start + i]!;
        if (v - v !== 0) throw _nonFinite("x", start + i, v);
        if (v < min[base + i]!) min[base + i] = v;
        if (v > max[base + i]!) max[base + i] = v;
      }
    }
  }
  return { min, max };
}
