/**
 * Histograms for the charts: `bins` equal-width bins over [lo, hi] (the last bin closed), returned
 * as bin centres and counts ready for a stepped line chart.
 */

export interface Histogram {
  /** Bin edges, length bins + 1. */
  edges: Float64Array;
  /** Bin centres, length bins. */
  centers: Float64Array;
  counts: Uint32Array;
  /** Values that fell outside [lo, hi]. */
  outside: number;
}

/**
 * Counts `data` into `bins` equal bins over [lo, hi]; values outside are counted in `outside`.
 *
 * @example
 * histogram(new Float32Array([0, 0.5, 1, 2]), 2, 0, 1).counts // Uint32Array [1, 2] (0 | 0.5, 1), 2 is outside
 */
export function histogram(data: ArrayLike<number>, bins: number, lo: number, hi: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
    throw new RangeError(`the range must be finite with hi > lo, got [${lo}, ${hi}]`);
  }
  const counts = new Uint32Array(bins);
  const width = (hi - lo) / bins;
  let outside = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v >= lo && v <= hi)) {
      outside++;
      continue;
    }
    const b = Math.min(bins - 1, Math.floor((v - lo) / width));
    counts[b]!++;
  }
  const edges = new Float64Array(bins + 1);
  const centers = new Float64Array(bins);
  for (let b = 0; b <= bins; b++) edges[b] = lo + b * width;
  for (let b = 0; b < bins; b++) centers[b] = lo + (b + 0.5) * width;
  return { edges, centers, counts, outside };
}

/**
 * The smallest and largest value of an array (NaN-free input assumed: the packages reject NaN first).
 *
 * @example
 * extent(new Float32Array([3, -1, 2])) // [-1, 3]
 */
export function extent(data: ArrayLike<number>): [number, number] {
  if (data.length === 0) throw new RangeError("data is empty");
  let lo = data[0]!;
  let hi = lo;
  for (let i = 1; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Points for a stepped line chart of a histogram: one point a bin edge, so that the steps line up
 * with the edges exactly, and the last edge repeated at count 0 to close the outline.
 *
 * @example
 * histogramSteps(histogram([0, 1], 2, 0, 2)) // [{x:0,y:1},{x:1,y:1},{x:2,y:0}]
 */
export function histogramSteps(h: Histogram): { x: number; y: number }[] {
  const pts: { x: number; y: number }[] = [];
  for (let b = 0; b < h.counts.length; b++) pts.push({ x: h.edges[b]!, y: h.counts[b]! });
  pts.push({ x: h.edges[h.counts.length]!, y: 0 });
  return pts;
}
