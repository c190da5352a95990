/**
 * How a real value is rounded to an integer code: `"half_to_even"` (PyTorch's `std::nearbyint`, the
 * default), `"half_away_from_zero"` (C's `round`), or `"stochastic"` (round up with probability equal to
 * the fractional part, so that the rounding is unbiased in expectation; needs a seeded `Rng`).
 */
export type RoundingMode = "half_to_even" | "half_away_from_zero" | "stochastic";

/** The rounding modes, default first. */
export const ROUNDING_MODES: readonly RoundingMode[] = ["half_to_even", "half_away_from_zero", "stochastic"];

/**
 * Checks a rounding mode name.
 *
 * @example
 * assertRoundingMode("half_to_even") // ok
 * assertRoundingMode("nearest")      // throws TypeError: rounding must be one of half_to_even, ...
 */
export function assertRoundingMode(rounding: unknown, name = "rounding"): asserts rounding is RoundingMode {
  if (typeof rounding !== "string" || !ROUNDING_MODES.includes(rounding as RoundingMode)) {
    throw new TypeError(
      `${name} must be one of ${ROUNDING_MODES.join(", ")}; got ${JSON.stringify(rounding)}`,
    );
  }
}

/**
 * Round half to even (banker's rounding), as `torch.round` and `std::nearbyint` do: 2.5 -> 2, 3.5 -> 4.
 * Exact for every double.
 *
 * @example
 * roundHalfToEven(2.5)  // 2
 * roundHalfToEven(-0.5) // -0
 * roundHalfToEven(1.5)  // 2
 */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x); // half up
  // Math.round rounds ties toward +Infinity; at a tie with an odd result, step back to the even one.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Round half away from zero (C's `round`): 2.5 -> 3, -2.5 -> -3. Exact for every double.
 *
 * @example
 * roundHalfAwayFromZero(-2.5) // -3
 */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Stochastic rounding: floor(x) + 1 with probability x - floor(x), else floor(x), drawing one uniform
 * number u in [0, 1) from `rng` (rounds up when u < x - floor(x)). E[result] = x, so the rounding error
 * averages out over many values (used for low-bit training). Integers come back unchanged.
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const rng = new Rng(0);
 * roundStochastic(2.25, rng) // 2 (three times in four) or 3 (once in four)
 */
export function roundStochastic(x: number, rng: { next(): number }): number {
  const f = Math.floor(x);
  return rng.next() < x - f ? f + 1 : f;
}
