import { Rng } from "@quantkit/tensor";

/** Where a layer's initial values come from: an `Rng` to draw from, or a seed for a new one. */
export interface InitOptions {
  /** The generator to draw from (shared across layers, so a model is reproducible from one seed). */
  rng?: Rng;
  /** A seed for a fresh generator when `rng` is absent. Default 0. */
  seed?: number;
}

/** The generator an {@link InitOptions} names. */
export function _rngOf(options: InitOptions): Rng {
  return options.rng ?? new Rng(options.seed ?? 0);
}

/**
 * Fills `data` with U(-bound, bound), bound = gain * sqrt(3 / fanIn) with gain = sqrt(2 / (1 + a^2)):
 * PyTorch's `kaiming_uniform_(w, a)` in fan-in mode with the leaky-ReLU gain. With `a = sqrt(5)`
 * (what nn.Linear and nn.Conv2d use) the bound is exactly 1 / sqrt(fanIn).
 *
 * @example
 * const w = kaimingUniform(new Float32Array(100 * 784), 784, Math.sqrt(5), new Rng(0));
 * // every value in [-1/28, 1/28)
 */
export function kaimingUniform(data: Float32Array, fanIn: number, a: number, rng: Rng): Float32Array {
  if (!Number.isInteger(fanIn) || fanIn <= 0)
    throw new RangeError(`fanIn must be a positive integer, got ${fanIn}`);
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / fanIn);
  return rng.fillUniform(data, -bound, bound);
}

/**
 * PyTorch's default initialisation of a Linear or Conv2d (`reset_parameters`): the weight by
 * `kaiming_uniform_(a = sqrt(5))`, i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)), then the bias by
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)), drawing the weight first, in row-major order.
 *
 * @example
 * const w = new Float32Array(6);
 * const b = new Float32Array(2);
 * resetLinearLike(w, b, 3, new Rng(0)); // all values in [-1/sqrt(3), 1/sqrt(3))
 */
export function resetLinearLike(
  weight: Float32Array,
  bias: Float32Array | null,
  fanIn: number,
  rng: Rng,
): void {
  kaimingUniform(weight, fanIn, Math.sqrt(5), rng);
  if (bias !== null) {
    const bound = 1 / Math.sqrt(fanIn);
    rng.fillUniform(bias, -bound, bound);
  }
}
