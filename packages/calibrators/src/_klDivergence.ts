/**
 * The divergence TensorRT's entropy calibration minimizes (Migacz, "8-bit Inference with TensorRT",
 * 2017), for any window of bins [a, b) of a histogram and any number of quantization levels:
 *
 * - P = bins [a, b), with the mass of every bin below a added to bin a and of every bin >= b to bin
 *   b - 1 (the values the range clips);
 * - Q = bins [a, b) without the clipped mass, merged into `levels` levels (bin a + j into level
 *   floor(j * levels / (b - a))), each level's total spread evenly over its non-empty bins, empty bins
 *   left empty;
 * - divergence = KL(P || Q) after normalizing both; +Infinity where Q is 0 and P is not (an edge bin
 *   that only holds clipped values), and for a window of fewer than `levels` bins.
 *
 * Prefix sums of mass, non-empty bins and h log h make each window O(levels):
 * KL = (1 / total) [sum_j p_j log p_j - sum_levels M_g log q_g] + log(inside / total), where M_g is the
 * P-mass of level g, q_g = (Q-mass of g) / (non-empty bins of g) the value Q gives each of its bins, and
 * `inside` the mass of the window. Counts are float64 (exact integers up to 2^53).
 */
export class _KlDivergence {
  readonly hist: ArrayLike<number>;
  /** Mass of bins [0, j). */
  readonly mass: Float64Array;
  private readonly nonEmpty: Float64Array;
  private readonly hLogH: Float64Array;
  /** Total mass. */
  readonly total: number;
  /** The first populated bin and one past the last (both 0 for an empty histogram). */
  readonly first: number;
  readonly end: number;

  constructor(hist: ArrayLike<number>) {
    const n = hist.length;
    this.hist = hist;
    this.mass = new Float64Array(n + 1);
    this.nonEmpty = new Float64Array(n + 1);
    this.hLogH = new Float64Array(n + 1);
    let first = -1;
    let end = 0;
    for (let j = 0; j < n; j++) {
      const h = hist[j]!;
      this.mass[j + 1] = this.mass[j]! + h;
      this.nonEmpty[j + 1] = this.nonEmpty[j]! + (h > 0 ? 1 : 0);
      this.hLogH[j + 1] = this.hLogH[j]! + (h > 0 ? h * Math.log(h) : 0);
      if (h > 0) {
        if (first < 0) first = j;
        end = j + 1;
      }
    }
    this.total = this.mass[n]!;
    this.first = Math.max(first, 0);
    this.end = end;
  }

  /**
   * KL(P || Q) of the window [a, b) (0 <= a < b <= bins) quantized to `levels` levels (>= 1); may come
   * out a rounding error below 0 where P = Q.
   */
  divergence(a: number, b: number, levels: number): number {
    const { hist, mass, nonEmpty, hLogH, total } = this;
    const width = b - a;
    if (width < levels) return Number.POSITIVE_INFINITY;
    const inside = mass[b]! - mass[a]!;
    const below = mass[a]!;
    const above = total - mass[b]!;
    const hFirst = hist[a]!;
    const hLast = hist[b - 1]!;
    // An edge bin that only holds clipped values has P > 0 where Q = 0.
    if ((hFirst === 0 && below > 0) || (hLast === 0 && above > 0)) return Number.POSITIVE_INFINITY;
    if (inside === 0) return 0; // an empty histogram: nothing to lose
    let pLogP: number;
    if (width === 1) {
      pLogP = total * Math.log(total);
    } else {
      const pFirst = hFirst + below;
      const pLast = hLast + above;
      pLogP =
        hLogH[b - 1]! -
        hLogH[a + 1]! +
        (pFirst > 0 ? pFirst * Math.log(pFirst) : 0) +
        (pLast > 0 ? pLast * Math.log(pLast) : 0);
    }
    let pLogQ = 0;
    for (let g = 0; g < levels; g++) {
      const s = a + Math.ceil((g * width) / levels); // bin a + j is in level floor(j * levels / width)
      const e = a + Math.ceil(((g + 1) * width) / levels);
      const m = mass[e]! - mass[s]!;
      if (m === 0) continue;
      const q = m / (nonEmpty[e]! - nonEmpty[s]!);
      let pMass = m;
      if (s === a) pMass += below;
      if (e === b) pMass += above;
      pLogQ += pMass * Math.log(q);
    }
    return (pLogP - pLogQ) / total + Math.log(inside / total);
  }
}
