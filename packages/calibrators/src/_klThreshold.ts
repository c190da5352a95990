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
  // Prefix sums over bins: mass, non-empty bins, and h log h. With them each candidate costs O(levels):
  // KL = (1 / total) [sum_j p_j log p_j - sum_levels M_g log q_g] + log(qTotal / total), where M_g is the
  // P-mass of level g and q_g = (Q-mass of g) / (non-empty bins of g) the value Q gives each of them.
  const mass = new Float64Array(used + 1);
  const nonEmpty = new Float64Array(used + 1);
  const hLogH = new Float64Array(used + 1);
  for (let j = 0; j < used; j++) {
    const h = hist[j]!;
    mass[j + 1] = mass[j]! + h;
    nonEmpty[j + 1] = nonEmpty[j]! + (h > 0 ? 1 : 0);
    hLogH[j + 1] = hLogH[j]! + (h > 0 ? h * Math.log(h) : 0);
  }
  const total = mass[used]!;
  let best = used;
  let bestDiv = Number.POSITIVE_INFINITY;
  for (let i = levels; i <= used; i++) {
    const outliers = total - mass[i]!;
    const qTotal = mass[i]!;
    const hLast = hist[i - 1]!;
    const pLast = hLast + outliers;
    // A last bin that only holds outliers has P > 0 where Q = 0: infinite divergence.
    if (hLast === 0 && pLast > 0) continue;
    const pLogP = hLogH[i - 1]! + (pLast > 0 ? pLast * Math.log(pLast) : 0);
    let pLogQ = 0;
    for (let g = 0; g < levels; g++) {
      const a = Math.ceil((g * i) / levels); // bin j is in level floor(j * levels / i)
      const b = Math.ceil(((g + 1) * i) / levels);
      const m = mass[b]! - mass[a]!;
      if (m === 0) continue;
      const q = m / (nonEmpty[b]! - nonEmpty[a]!);
      const pMass = b === i ? m + outliers : m;
      pLogQ += pMass * Math.log(q);
    }
    const kl = (pLogP - pLogQ) / total + Math.log(qTotal / total);
    if (kl < bestDiv) {
      bestDiv = kl;
      best = i;
    }
  }
  return { bins: best, divergence: Math.max(bestDiv, 0) };
}
