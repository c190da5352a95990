import type { Dataset } from "./dataset";

/**
 * The images `start..end-1` of a data set as views on the same arrays (no copy), like
 * `Array.prototype.slice` (negative indices count from the end): a calibration subset, say.
 *
 * @example
 * const firstHundred = sliceDataset(train, 0, 100);
 * firstHundred.count // 100
 */
export function sliceDataset(dataset: Dataset, start = 0, end = dataset.count): Dataset {
  const n = dataset.count;
  for (const [argName, v] of [
    ["start", start],
    ["end", end],
  ] as const) {
    if (!Number.isInteger(v)) throw new RangeError(`${argName} must be an integer, got ${v}`);
  }
  const s = Math.min(Math.max(start < 0 ? n + start : start, 0), n);
  const e = Math.min(Math.max(end < 0 ? n + end : end, s), n);
  const pixels = dataset.rows * dataset.cols;
  return {
    images: dataset.images.subarray(s * pixels, e * pixels),
    labels: dataset.labels.subarray(s, e),
    count: e - s,
    rows: dataset.rows,
    cols: dataset.cols,
  };
}
