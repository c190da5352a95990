/** Median, min and max of a set of samples: the three figures every timing and ratio carries. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many samples were summarized. */
  n: number;
}

/**
 * The median of `values` (the mean of the two middle values when the count is even). The median,
 * not the mean, because a shared 2-core machine gives long-tailed timings: one descheduled sample
 * moves a mean but not a median.
 *
 * @example
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 */
export function median(values: ArrayLike<number>): number {
  const sorted = sortedFinite(values, "median");
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median, min and max of `values`.
 *
 * @example
 * summarize([5, 1, 3, 9]); // { median: 4, min: 1, max: 9, n: 4 }
 */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = sortedFinite(values, "summarize");
  const n = sorted.length;
  const mid = n >> 1;
  const med = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: med, min: sorted[0]!, max: sorted[n - 1]!, n };
}

/**
 * Paired speed ratios: for each round i, `reference[i] / subject[i]` (how many times faster the subject
 * ran than the reference in that same round), summarized. Pairing round by round cancels the slow
 * drifts of a noisy machine (another process, a frequency change) that a ratio of two medians keeps.
 *
 * @example
 * pairedRatios([1, 2, 1], [2, 4, 3]); // { median: 2, min: 2, max: 3, n: 3 }
 */
export function pairedRatios(subject: ArrayLike<number>, reference: ArrayLike<number>): Summary {
  if (subject.length !== reference.length) {
    throw new RangeError(
      `subject and reference must hold one time per round each, got ${subject.length} and ${reference.length}`,
    );
  }
  if (subject.length === 0) throw new RangeError("subject must hold at least one round, got 0");
  const ratios = new Float64Array(subject.length);
  for (let i = 0; i < subject.length; i++) {
    const s = subject[i]!;
    const r = reference[i]!;
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`subject[${i}] must be a time > 0, got ${s}`);
    if (!(r > 0) || !Number.isFinite(r)) throw new RangeError(`reference[${i}] must be a time > 0, got ${r}`);
    ratios[i] = r / s;
  }
  return summarize(ratios);
}

function sortedFinite(values: ArrayLike<number>, name: string): Float64Array {
  if (values.length === 0) throw new RangeError(`${name}: values must not be empty`);
  const sorted = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < sorted.length; i++) {
    if (!Number.isFinite(sorted[i]!))
      throw new RangeError(`${name}: values[${i}] must be finite, got ${sorted[i]}`);
  }
  return sorted.sort();
}
