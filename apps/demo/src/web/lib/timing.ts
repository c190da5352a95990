/**
 * Summaries of repeated timings: the median (what a run usually costs) with the min and max (how
 * much it varies), as every quantkit benchmark reports them.
 */

export interface TimingSummary {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/**
 * The median (mean of the middle two for an even count), min and max of samples in ms.
 *
 * @example
 * summarizeTimings([3, 1, 2]) // { medianMs: 2, minMs: 1, maxMs: 3, runs: 3 }
 */
export function summarizeTimings(samplesMs: readonly number[]): TimingSummary {
  if (samplesMs.length === 0) throw new RangeError("samplesMs is empty: time at least one run");
  const s = [...samplesMs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const medianMs = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { medianMs, minMs: s[0]!, maxMs: s[s.length - 1]!, runs: s.length };
}

/**
 * Giga-operations per second of an m x k x n matrix product (2 m k n operations: one multiply and
 * one add per MAC) that took `ms` milliseconds.
 *
 * @example
 * gemmGops(256, 256, 256, 1) // 33.55… (2 * 256^3 / 1e-3 / 1e9)
 */
export function gemmGops(m: number, k: number, n: number, ms: number): number {
  if (!(ms > 0)) throw new RangeError(`ms must be positive, got ${ms}`);
  return (2 * m * k * n) / (ms * 1e6);
}
