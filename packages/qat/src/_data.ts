import type { Batch } from "@quantkit/nn";
import type { Rng } from "@quantkit/tensor";

/**
 * A labelled data set as the experiment takes it: `count` samples of `images.length / count` values
 * each, one class index per sample. @quantkit/datasets' `Dataset` is one.
 */
export interface LabeledData {
  readonly images: Float32Array;
  readonly labels: ArrayLike<number>;
  readonly count: number;
}

/** Checks a data set's arrays against its count; returns the values per sample. */
export function _featuresOf(data: LabeledData, name: string): number {
  if (data === null || typeof data !== "object" || !(data.images instanceof Float32Array)) {
    throw new TypeError(`${name} must be { images: Float32Array, labels, count }`);
  }
  if (!Number.isInteger(data.count) || data.count <= 0 || data.images.length % data.count !== 0) {
    throw new RangeError(
      `${name}: count ${data.count} does not divide the ${data.images.length} image values`,
    );
  }
  if (data.labels.length !== data.count)
    throw new RangeError(`${name}: ${data.labels.length} labels for ${data.count} samples`);
  return data.images.length / data.count;
}

/**
 * Mini-batches over a data set, as @quantkit/datasets' `batches` makes them (so the same seed gives
 * the same order): each iteration is an epoch; with `rng` every epoch draws `rng.permutation(count)`
 * and gathers the batch, else batches are views.
 */
export function _batchesOf(
  data: LabeledData,
  batchSize: number,
  inputShape: readonly number[],
  rng?: Rng,
): Iterable<Batch> & { length: number } {
  const features = data.images.length / data.count;
  const length = Math.ceil(data.count / batchSize);
  function* epoch(): Generator<Batch> {
    const order = rng?.permutation(data.count);
    for (let b = 0; b < length; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, data.count - start);
      if (order === undefined) {
        yield {
          x: data.images.subarray(start * features, (start + size) * features),
          y: Array.prototype.slice.call(data.labels, start, start + size) as number[],
          size,
          shape: [size, ...inputShape],
        };
        continue;
      }
      const x = new Float32Array(size * features);
      const y = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        const j = order[start + i]!;
        x.set(data.images.subarray(j * features, (j + 1) * features), i * features);
        y[i] = data.labels[j]!;
      }
      yield { x, y, size, shape: [size, ...inputShape] };
    }
  }
  return { [Symbol.iterator]: epoch, length };
}

/** The samples at `indices`, copied into a new data set. */
export function _gather(data: LabeledData, indices: Int32Array): LabeledData {
  const features = data.images.length / data.count;
  const images = new Float32Array(indices.length * features);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(data.images.subarray(j * features, (j + 1) * features), i * features);
    labels[i] = data.labels[j]!;
  }
  return { images, labels, count: indices.length };
}
