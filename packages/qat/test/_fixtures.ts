import { loadBundledMnist, normalize, shuffleDataset, sliceDataset } from "@quantkit/datasets";
import type { Batch } from "@quantkit/nn";

/** Batches over flat arrays (views). */
export function batchesOf(
  x: Float32Array,
  y: ArrayLike<number>,
  features: number,
  batchSize: number,
): Batch[] {
  const n = x.length / features;
  const out: Batch[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    out.push({
      x: x.subarray(s * features, (s + size) * features),
      y: Array.from({ length: size }, (_, i) => y[s + i]!),
      size,
      shape: [size, features],
    });
  }
  return out;
}

/** A seeded slice of the bundled MNIST, normalised. */
export async function mnistSlice(train: number, test: number, seed = 0) {
  const split = await loadBundledMnist();
  return {
    train: sliceDataset(shuffleDataset(normalize(split.train), seed), 0, train),
    test: sliceDataset(shuffleDataset(normalize(split.test), seed), 0, test),
  };
}
