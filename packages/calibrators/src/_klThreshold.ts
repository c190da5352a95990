/**
 * TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", 2017; Wu et al. 2020, sec. 4.2)
 * on a histogram of |x|: for each candidate i from `levels` to the last populated bin + 1,
 *
 * - P = bins [0, i) with the mass of every bin >= i (the outliers) added to bin i - 1;
 * - Q = bins [0, i) merged into `levels` levels (bin j into level floor(j * levels / i)), each level's
 *   total spread evenly over its non-empty bins, empty bins left empty;
 * - divergence(i) = KL(P || Q) after normalizing both (+Infinity where Q is 0 and P is not).
 *
 * Returns the candidate i with the smallest divergence (the first on ties) and its divergence; the
 * threshold is i bin widths. With fewer populated bins than levels there is nothing to clip: i = the
 * populated bin count, divergence 0.
 */
export function _klThreshold(hist: ArrayLike<number>, levels: number): { bins: number; divergence: number } {
  let used = hist.length;
  while (used > 0 && hist[used - 1] === 0) used--;
  if (used <= levels) return { bins: Math.max(used, 1), divergence: 0 };
  const suffix = new Float64Array(used + 1); // suffix[i] = sum of hist[i..used)
  for (let j = used - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! + hist[j]!;
  const total = suffix[0]!;
  const levelMass = new Float64Array(levels);
  const levelNonEmpty = new Int32Array(levels);
  let best = used;
  let bestDiv = Number.POSITIVE_INFINITY;
  for (let i = levels; i <= used; i++) {
    levelMass.fill(0);
    levelNonEmpty.fill(0);
    for (let j = 0; j < i; j++) {
      const h = hist[j]!;
      if (h === 0) continue;
      const g = Math.floor((j * levels) / i);
      levelMass[g]! += h;
      levelNonEmpty[g]!++;
    }
    // P sums to total; Q sums to total - outliers. KL = sum p/P log((p/P) / (q/Q)).
    const qTotal = total - suffix[i]!;
    let kl = 0;
    for (let j = 0; j < i; j++) {
      const p = j === i - 1 ? hist[j]! + suffix[i]! : hist[j]!;
      if (p === 0) continue;
      const g = Math.floor((j * levels) / i);
      const q = hist[j] === 0 ? 0 : levelMass[g]! / levelNonEmpty[g]!;
      if (q === 0) {
        kl = Number.POSITIVE_INFINITY;
        break;
      }
      const pn = p / total;
      kl += pn * Math.log(pn / (q / qTotal));
    }
    if (kl < bestDiv) {
      bestDiv = kl;
      best = i;
    }
  }
  return { bins: best, divergence: bestDiv };
}
