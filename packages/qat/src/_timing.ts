/** Wall time of a repeated measurement, in milliseconds. */
export interface TimingStats {
  medianMs: number;
  minMs: number;
  maxMs: number;
  repeats: number;
}

/** The median, minimum and maximum of `repeats` timed runs of `fn` after `warmup` untimed ones. */
export function _time(fn: () => unknown, repeats: number, warmup: number): TimingStats {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs: median, minMs: times[0]!, maxMs: times[times.length - 1]!, repeats };
}
