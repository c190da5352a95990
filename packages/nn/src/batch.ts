import type { Shape } from "@quantkit/tensor";

/**
 * A mini-batch as {@link fit} and {@link evaluate} take it (what @quantkit/datasets' `batches` yields):
 * `size` inputs in `x` and their class indices in `y`. `shape` defaults to `[size, x.length / size]`.
 */
export interface Batch {
  readonly x: Float32Array;
  readonly y: ArrayLike<number>;
  readonly size: number;
  readonly shape?: Shape;
}

/** The input shape of a batch. */
export function _batchShape(batch: Batch): Shape {
  if (batch.shape !== undefined) return batch.shape;
  if (!(batch.size > 0) || batch.x.length % batch.size !== 0) {
    throw new RangeError(
      `batch of size ${batch.size} has ${batch.x.length} input values, not a whole number per sample`,
    );
  }
  return [batch.size, batch.x.length / batch.size];
}
