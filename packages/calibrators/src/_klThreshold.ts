import { _KlDivergence } from "./_klDivergence";

/**
 * TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", 2017; Wu et al. 2020, sec. 4.2)
 * on a one-sided histogram (of |x| for a symmetric range, of x >= 0 for an affine one): for each
 * candidate i from `levels` to the last populated bin + 1, the divergence of the window [0, i) (see
 * {@link _KlDivergence}: P = bins [0, i) with the mass of every bin >= i added to bin i - 1, Q = the same
 * bins merged into `levels` levels and spread back over their non-empty bins).
 *
 * Returns the candidate i with the smallest divergence (the first on ties) and its divergence; the
 * threshold is i bin widths. With fewer populated bins than levels there is nothing to clip: i = the
 * populated bin count, divergence 0. O(levels) per candidate.
 */
export function _klThreshold(hist: ArrayLike<number>, levels: number): { bins: number; divergence: number } {
  const kl = new _KlDivergence(hist);
  const used = kl.end;
  if (used <= levels) return { bins: Math.max(used, 1), divergence: 0 };
  let best = used;
  let bestDiv = Number.POSITIVE_INFINITY;
  for (let i = levels; i <= used; i++) {
    const d = kl.divergence(0, i, levels);
    if (d < bestDiv) {
      bestDiv = d;
      best = i;
    }
  }
  return { bins: best, divergence: Math.max(bestDiv, 0) };
}
