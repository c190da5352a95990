import { Rng } from "@quantkit/tensor";

/** n seeded normal samples, mean 0, standard deviation `std`. */
export function gaussian(seed: number, n: number, std = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal(0, std));
}
