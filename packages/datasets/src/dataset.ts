/**
 * A labelled image data set held in two flat typed arrays: image `i` is
 * `images.subarray(i * rows * cols, (i + 1) * rows * cols)` (row-major, one channel) and its class
 * is `labels[i]`.
 */
export interface Dataset {
  /** `count * rows * cols` pixel values, image after image. */
  readonly images: Float32Array;
  /** One class index per image. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

/** A train/test pair, as every loader in this package returns. */
export interface DatasetSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * Wraps images and labels as a {@link Dataset} (no copy) after checking that they agree:
 * `images.length` must be `labels.length * rows * cols`.
 *
 * @example
 * const ds = createDataset(new Float32Array(2 * 4), new Uint8Array([3, 1]), 2, 2);
 * ds.count // 2
 * createDataset(new Float32Array(8), new Uint8Array(3), 2, 2) // throws: labels count 3 != images count 2
 */
export function createDataset(images: Float32Array, labels: Uint8Array, rows: number, cols: number): Dataset {
  if (!(images instanceof Float32Array)) {
    throw new TypeError(`images must be a Float32Array, got ${Object.prototype.toString.call(images)}`);
  }
  if (!(labels instanceof Uint8Array)) {
    throw new TypeError(`labels must be a Uint8Array, got ${Object.prototype.toString.call(labels)}`);
  }
  for (const [argName, v] of [
    ["rows", rows],
    ["cols", cols],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new RangeError(`${argName} must be a positive integer, got ${v}`);
  }
  const pixels = rows * cols;
  if (images.length % pixels !== 0) {
    throw new RangeError(`images has ${images.length} values, not a whole number of ${rows}x${cols} images`);
  }
  const count = images.length / pixels;
  if (labels.length !== count) {
    throw new RangeError(`labels count ${labels.length} != images count ${count}`);
  }
  if (count === 0) throw new RangeError("images is empty: a dataset needs at least one image");
  for (let i = 0; i < images.length; i++) {
    const v = images[i]!;
    if (v - v !== 0) {
      throw new RangeError(
        `images[${i}] (image ${Math.floor(i / pixels)}, pixel ${i % pixels}) is ${v}; pixels must be finite`,
      );
    }
  }
  return { images, labels, count, rows, cols };
}
