import { assertOptions } from "@quantkit/tensor";
import { createDataset, type Dataset } from "./dataset";
import type { IdxArray } from "./parseIdx";

/** Options of {@link datasetFromIdx}. */
export interface DatasetFromIdxOptions {
  /** Labels must be below this. Default 10 (MNIST and Fashion-MNIST). */
  numClasses?: number;
  /** What to call the two files in errors. */
  imagesName?: string;
  labelsName?: string;
}

/**
 * Turns an MNIST-format pair of IDX arrays (uint8 images `[count, rows, cols]`, uint8 labels
 * `[count]`) into a {@link Dataset} with pixels scaled to [0, 1] (`v / 255` in float32, as
 * torchvision's `ToTensor` does). Browser-safe. Throws a RangeError when a file has the wrong type or
 * rank (say, the labels file given as images), when the counts differ, or when a label is out of range.
 *
 * @example
 * const images = await readIdx(imageBytes, "t10k-images-idx3-ubyte.gz");
 * const labels = await readIdx(labelBytes, "t10k-labels-idx1-ubyte.gz");
 * const test = datasetFromIdx(images, labels); // test.count 10000, test.rows 28
 */
export function datasetFromIdx(
  images: IdxArray,
  labels: IdxArray,
  options: DatasetFromIdxOptions = {},
): Dataset {
  assertOptions(options, ["numClasses", "imagesName", "labelsName"], "datasetFromIdx options");
  const imagesName = options.imagesName ?? "images";
  const labelsName = options.labelsName ?? "labels";
  const numClasses = options.numClasses ?? 10;
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 256) {
    throw new RangeError(`numClasses must be an integer in 1..256, got ${numClasses}`);
  }
  if (images.dtype !== "uint8" || images.shape.length !== 3) {
    throw new RangeError(
      `${imagesName} must hold uint8 images [count, rows, cols] (magic 0x00000803), got ${images.dtype} [${images.shape.join(", ")}]`,
    );
  }
  if (labels.dtype !== "uint8" || labels.shape.length !== 1) {
    throw new RangeError(
      `${labelsName} must hold uint8 labels [count] (magic 0x00000801), got ${labels.dtype} [${labels.shape.join(", ")}]`,
    );
  }
  const [count, rows, cols] = images.shape as [number, number, number];
  if (count === 0) throw new RangeError(`${imagesName} holds no images (count 0 in its IDX header)`);
  if (rows === 0 || cols === 0)
    throw new RangeError(
      `${imagesName} holds images of ${rows}x${cols} pixels: rows and cols must be positive`,
    );
  if (labels.shape[0] !== count) {
    throw new RangeError(
      `labels count ${labels.shape[0]} (${labelsName}) != images count ${count} (${imagesName})`,
    );
  }
  const y = labels.data as Uint8Array;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! >= numClasses) {
      throw new RangeError(`${labelsName}[${i}] is ${y[i]}, outside the classes 0..${numClasses - 1}`);
    }
  }
  const px = images.data as Uint8Array;
  const x = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) x[i] = px[i]! / 255;
  return createDataset(x, y, rows, cols);
}
