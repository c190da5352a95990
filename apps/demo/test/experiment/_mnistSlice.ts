import { loadBundledMnist, normalize, shuffleDataset, sliceDataset } from "@quantkit/datasets";

/** A seeded slice of the bundled MNIST, normalised. */
export async function mnistSlice(train: number, test: number, seed = 0) {
  const split = await loadBundledMnist();
  return {
    train: sliceDataset(shuffleDataset(normalize(split.train), seed), 0, train),
    test: sliceDataset(shuffleDataset(normalize(split.test), seed), 0, test),
  };
}
