import { _checkPair, _metricNonFinite } from "./_pairs";

/**
 * Mean squared error between a reference and its approximation, mean((reference - approx)^2),
 * accumulated in float64. Throws on different lengths, empty arrays and NaN/Infinity (naming the
 * array and the first bad index).
 *
 * @example
 * import { mse } from "@quantkit/quantizers";
 * mse(new Float32Array([1, 2, 3]), new Float32Array([1, 2.5, 2])) // 0.41666... = (0 + 0.25 + 1) / 3
 */
export function mse(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  const n = _checkPair(reference, approx, "mse");
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = reference[i]! - approx[i]!;
    sum += d * d;
  }
  const result = sum / n;
  if (!Number.isFinite(result)) throw _metricNonFinite(reference, approx, "mse");
  return result;
}
