import { Rng } from "@quantkit/tensor";
import type { Dataset } from "./dataset";

/**
 * A copy of the data set with its images (and their labels) in a seeded random order
 * (Fisher-Yates over `Rng`). Use {@link batches} with `shuffle: true` to train without the copy.
 *
 * @param rngOrSeed an `Rng` to draw from, or a seed. Default seed 0.
 *
 * @example
 * const shuffled = shuffleDataset(train, 42); // same order on every run for seed 42
 */
export function shuffleDataset(dataset: Dataset, rngOrSeed: Rng | number = 0): Dataset {
  if (typeof rngOrSeed !== "number" && !(rngOrSeed instanceof Rng)) {
    throw new TypeError(
      `shuffleDataset: rngOrSeed must be an integer seed or an Rng, got ${typeof rngOrSeed} ${JSON.stringify(rngOrSeed)}`,
    );
  }
  const rng = typeof rngOrSeed === "number" ? new Rng(rngOrSeed) : rngOrSeed;
  const order = rng.permutation(dataset.count);
  const pixels = dataset.rows * dataset.cols;
  const images = new Float32Array(dataset.images.length);
  const labels = new Uint8Array(dataset.count);
  for (let i = 0; i < order.length; i++) {
    const j = order[i]!;
    images.set(dataset.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
    labels[i] = dataset.labels[j]!;
  }
  return { ...dataset, images, labels };
}
