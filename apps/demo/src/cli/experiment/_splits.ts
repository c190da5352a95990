import { type Dataset, shuffleDataset, sliceDataset } from "@quantkit/datasets";

/** Checks that a data set is a `Dataset` of @quantkit/datasets; returns its values per sample. */
export function _featuresOf(data: Dataset, name: string): number {
  if (data === null || typeof data !== "object" || !(data.images instanceof Float32Array)) {
    throw new TypeError(`${name} must be a Dataset { images: Float32Array, labels, count, rows, cols }`);
  }
  if (data.images.length !== data.count * data.rows * data.cols)
    throw new RangeError(
      `${name}: ${data.count} samples of ${data.rows}x${data.cols} do not fill the ${data.images.length} image values`,
    );
  return data.rows * data.cols;
}

/**
 * The calibration and selection splits of the training set: a seeded permutation (`Rng(seed + 1)`)
 * of it, the first `calibrationSamples` samples for the observers, the next `selectionSamples` (held
 * out of calibration, never the test set) to choose the best calibrator on. A small training set is
 * split in halves at most.
 */
export function _calibrationSplits(
  train: Dataset,
  seed: number,
  calibrationWanted: number,
  selectionWanted: number,
): { calibrationSet: Dataset; selectionSet: Dataset } {
  const calibrationSamples = Math.min(calibrationWanted, Math.floor(train.count / 2));
  const selectionSamples = Math.min(selectionWanted, train.count - calibrationSamples);
  if (calibrationSamples <= 0 || selectionSamples <= 0)
    throw new RangeError("the training set is too small for calibration and selection splits");
  const shuffled = shuffleDataset(train, seed + 1);
  return {
    calibrationSet: sliceDataset(shuffled, 0, calibrationSamples),
    selectionSet: sliceDataset(shuffled, calibrationSamples, calibrationSamples + selectionSamples),
  };
}
