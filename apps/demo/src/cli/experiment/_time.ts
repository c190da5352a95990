import { summarizeTimings } from "../../web/lib/timing";

/** Wall time of a repeated measurement, in milliseconds. */
export interface TimingStats {
  medianMs: number;
  minMs: number;
  maxMs: number;
  repeats: number;
}

/**
 * The median, minimum and maximum (`summarizeTimings`, the demo's one timing summary) of `repeats`
 * timed runs of `fn` after `warmup` untimed ones; NaN times when `repeats` is 0 (timing skipped).
 */
export function _time(fn: () => unknown, repeats: number, warmup: number): TimingStats {
  if (repeats === 0) return { medianMs: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN, repeats: 0 };
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  const { medianMs, minMs, maxMs } = summarizeTimings(times);
  return { medianMs, minMs, maxMs, repeats };
}
