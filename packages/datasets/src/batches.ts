import { assertOptions, Rng } from "@quantkit/tensor";
import type { Dataset } from "./dataset";

/** One mini-batch: `size` images in `x` and their classes in `y`. */
export interface Batch {
  /** `size * rows * cols` pixel values. */
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly size: number;
  /** The shape of `x`: `[size, rows * cols]` (layout "flat") or `[size, 1, rows, cols]` (layout "nchw"). */
  readonly shape: readonly number[];
}

/** Options of {@link batches}, named after PyTorch's `DataLoader`. */
export interface BatchOptions {
  /** Images a batch (the last one may be smaller unless `dropLast`). Default 32. */
  batchSize?: number;
  /** A new seeded random order on every iteration (every epoch). Default false. */
  shuffle?: boolean;
  /** Seed of the shuffling `Rng` when `rng` is absent. Default 0. */
  seed?: number;
  /** The `Rng` to draw orders from. */
  rng?: Rng;
  /** Skip a last, incomplete batch. Default false. */
  dropLast?: boolean;
  /** "flat" gives `x` the shape `[size, rows * cols]` (an MLP's input), "nchw" `[size, 1, rows, cols]`. Default "flat". */
  layout?: "flat" | "nchw";
}

/** What {@link batches} returns: iterable once per epoch, with the number of batches an epoch. */
export interface BatchIterable extends Iterable<Batch> {
  /** Batches an epoch. */
  readonly length: number;
  /** Images an epoch (less than `count` when `dropLast` drops some). */
  readonly samples: number;
}

/**
 * Mini-batches over a data set, like PyTorch's `DataLoader`: each `for ... of` over the result is one
 * epoch, and with `shuffle` each epoch draws a new order from one seeded `Rng`, so a run is
 * reproducible from its seed. Memory: a shuffled batch is gathered into a fresh batch-sized array
 * (never a copy of the whole set); without `shuffle` the batches are views on the data set itself
 * (no copy at all; do not write to them).
 *
 * @example
 * const loader = batches(train, { batchSize: 10, shuffle: true, seed: 0 });
 * loader.length // 800 for 7,996 images
 * for (const { x, y, size } of loader) {
 *   // x: Float32Array(size * 784), y: Uint8Array(size)
 * }
 */
export function batches(dataset: Dataset, options: BatchOptions = {}): BatchIterable {
  assertOptions(options, ["batchSize", "shuffle", "seed", "rng", "dropLast", "layout"], "batches options");
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const layout = options.layout ?? "flat";
  if (layout !== "flat" && layout !== "nchw") {
    throw new RangeError(`layout must be "flat" or "nchw", got ${String(layout)}`);
  }
  const shuffle = options.shuffle ?? false;
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const { count, rows, cols, images, labels } = dataset;
  const pixels = rows * cols;
  const full = Math.floor(count / batchSize);
  const length = options.dropLast || count % batchSize === 0 ? full : full + 1;
  const samples = options.dropLast ? full * batchSize : count;
  const shapeOf = (size: number) => (layout === "flat" ? [size, pixels] : [size, 1, rows, cols]);

  function* epoch(): Generator<Batch> {
    const order = shuffle ? rng.permutation(count) : undefined;
    for (let b = 0; b < length; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, count - start);
      if (order === undefined) {
        yield {
          x: images.subarray(start * pixels, (start + size) * pixels),
          y: labels.subarray(start, start + size),
          size,
          shape: shapeOf(size),
        };
        continue;
      }
      const x = new Float32Array(size * pixels);
      const y = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        const j = order[start + i]!;
        x.set(images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
        y[i] = labels[j]!;
      }
      yield { x, y, size, shape: shapeOf(size) };
    }
  }
  return { [Symbol.iterator]: epoch, length, samples };
}
