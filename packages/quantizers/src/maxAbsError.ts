import { _checkPair, _metricNonFinite } from "./_pairs";

/**
 * The largest absolute difference max |reference - approx| (the L-infinity error). Throws on different
 * lengths, empty arrays and NaN/Infinity.
 *
 * @example
 * import { maxAbsError } from "@quantkit/quantizers";
 * maxAbsError(new Float32Array([1, 2, 3]), new Float32Array([1, 2.5, 2])) // 1
 */
export function maxAbsError(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
  const n = _checkPair(reference, approx, "maxAbsError");
  let max = 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(reference[i]! - approx[i]!);
    if (d > max) max = d;
    bad += d - d; // NaN once any difference is NaN or Infinity
  }
  if (bad !== 0) throw _metricNonFinite(reference, approx, "maxAbsError");
  return max;
}
