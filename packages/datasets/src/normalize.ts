import { assertOptions } from "@quantkit/tensor";
import type { Dataset } from "./dataset";

/** The seed's normalisation: MNIST's pixel mean and standard deviation (torchvision's usual constants). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** Default 0.1307 (MNIST). */
  mean?: number;
  /** Default 0.3081 (MNIST); must be positive. */
  std?: number;
  /** Overwrite `dataset.images` instead of allocating new ones. Default false. */
  inPlace?: boolean;
}

/**
 * `(x - mean) / std` on every pixel, in float32 arithmetic like torchvision's `Normalize` on a float32
 * tensor (the subtraction and the division each rounded to float32, so the values equal PyTorch's).
 * Returns a new data set sharing the labels, or the same one when `inPlace`.
 *
 * @example
 * const ds = normalize(createDataset(new Float32Array([0, 1]), new Uint8Array([0]), 1, 2));
 * ds.images // Float32Array [-0.42421..., 2.82148...]
 */
export function normalize(dataset: Dataset, options: NormalizeOptions = {}): Dataset {
  assertOptions(options, ["mean", "std", "inPlace"], "normalize options");
  const mean = options.mean ?? MNIST_MEAN;
  const std = options.std ?? MNIST_STD;
  const m = Math.fround(mean);
  const s = Math.fround(std);
  if (typeof mean !== "number" || !Number.isFinite(m))
    throw new RangeError(`normalize: mean must be finite in float32, got ${mean}`);
  if (typeof std !== "number" || !(s > 0) || !Number.isFinite(s))
    throw new RangeError(`normalize: std must be positive and finite in float32, got ${std}`);
  const src = dataset.images;
  // The map is monotonic: if the extremes stay finite in float32, every pixel does (std 1e-45 or a
  // mean of 3e38 would turn pixels into Infinity or NaN).
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (const v of src.length > 0 ? [lo, hi] : []) {
    const y = Math.fround(Math.fround(v - m) / s);
    if (!Number.isFinite(y)) {
      throw new RangeError(
        `normalize: mean ${mean} and std ${std} map the pixel value ${v} to ${y} in float32; choose a larger std or a smaller mean`,
      );
    }
  }
  const out = options.inPlace ? src : new Float32Array(src.length);
  // Each operation in double then rounded to float32 equals the float32 operation (53 >= 2 * 24 + 2).
  for (let i = 0; i < src.length; i++) out[i] = Math.fround(src[i]! - m) / s;
  return options.inPlace ? dataset : { ...dataset, images: out };
}
