/** How a real value is rounded to an integer code. */
export type RoundingMode = "half_to_even" | "half_away_from_zero" | "stochastic";

/**
 * Round half to even (banker's rounding), as `torch.round` and `std::nearbyint` do: 2.5 -> 2, 3.5 -> 4.
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
 * Round half away from zero (C's `round`): 2.5 -> 3, -2.5 -> -3.
 *
 * @example
 * roundHalfAwayFromZero(-2.5) // -3
 */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
