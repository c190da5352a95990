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
  const mean = options.mean ?? MNIST_MEAN;
  const std = options.std ?? MNIST_STD;
  if (!Number.isFinite(mean)) throw new RangeError(`mean must be finite, got ${mean}`);
  if (!(std > 0) || !Number.isFinite(std))
    throw new RangeError(`std must be positive and finite, got ${std}`);
  const m = Math.fround(mean);
  const s = Math.fround(std);
  const src = dataset.images;
  const out = options.inPlace ? src : new Float32Array(src.length);
  // Each operation in double then rounded to float32 equals the float32 operation (53 >= 2 * 24 + 2).
  for (let i = 0; i < src.length; i++) out[i] = Math.fround(src[i]! - m) / s;
  return options.inPlace ? dataset : { ...dataset, images: out };
}
