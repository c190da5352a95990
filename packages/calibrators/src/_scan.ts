/**
 * Fast reductions shared by the observers. Each also says where the first NaN or ±Infinity is, so that
 * an observer can reject a bad batch before it changes any state.
 */

/** Index of the first NaN or ±Infinity in x, or -1. */
export function _firstNonFinite(x: Float32Array, from = 0, to = x.length): number {
  for (let i = from; i < to; i++) {
    const v = x[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/**
 * min and max of a non-empty Float32Array in one pass, and the index of the first non-finite value
 * (-1 when all are finite; min/max are then meaningless).
 *
 * Two interleaved accumulator pairs and a NaN-propagating sum of `v - v` instead of a branch per value:
 * about 1 ns a value here, 2x faster than one pair with an `v !== v` test (measured on 16M values).
 */
export function _minMax(x: Float32Array): { min: number; max: number; firstBad: number } {
  const n = x.length;
  let mn0 = Number.POSITIVE_INFINITY;
  let mx0 = Number.NEGATIVE_INFINITY;
  let mn1 = Number.POSITIVE_INFINITY;
  let mx1 = Number.NEGATIVE_INFINITY;
  let bad = 0;
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v0 = x[i]!;
    const v1 = x[i + 1]!;
    const v2 = x[i + 2]!;
    const v3 = x[i + 3]!;
    if (v0 < mn0) mn0 = v0;
    if (v0 > mx0) mx0 = v0;
    if (v1 < mn1) mn1 = v1;
    if (v1 > mx1) mx1 = v1;
    if (v2 < mn0) mn0 = v2;
    if (v2 > mx0) mx0 = v2;
    if (v3 < mn1) mn1 = v3;
    if (v3 > mx1) mx1 = v3;
    bad += v0 - v0 + (v1 - v1) + (v2 - v2) + (v3 - v3);
  }
  for (; i < n; i++) {
    const v = x[i]!;
    if (v < mn0) mn0 = v;
    if (v > mx0) mx0 = v;
    bad += v - v;
  }
  const firstBad = bad === 0 ? -1 : _firstNonFinite(x);
  return { min: Math.min(mn0, mn1), max: Math.max(mx0, mx1), firstBad };
}

/**
 * Per-channel min and max of a tensor viewed as (outer, channels, inner) (see `splitAtAxis`), written
 * into `mins`/`maxs` (length `channels`). Returns the first non-finite index or -1.
 */
export function _minMaxAlongAxis(
  x: Float32Array,
  outer: number,
  channels: number,
  inner: number,
  mins: Float32Array,
  maxs: Float32Array,
): number {
  mins.fill(Number.POSITIVE_INFINITY);
  maxs.fill(Number.NEGATIVE_INFINITY);
  let bad = 0;
  if (inner === 1) {
    // Channels on the last axis: walk rows, each element updates its own channel.
    for (let o = 0; o < outer; o++) {
      const base = o * channels;
      for (let c = 0; c < channels; c++) {
        const v = x[base + c]!;
        if (v < mins[c]!) mins[c] = v;
        if (v > maxs[c]!) maxs[c] = v;
        bad += v - v;
      }
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const base = (o * channels + c) * inner;
        let mn = mins[c]!;
        let mx = maxs[c]!;
        for (let i = base; i < base + inner; i++) {
          const v = x[i]!;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
          bad += v - v;
        }
        mins[c] = mn;
        maxs[c] = mx;
      }
    }
  }
  return bad === 0 ? -1 : _firstNonFinite(x);
}

/** Calls `visit(channel, from, to)` for every contiguous run of one channel in an (outer, channels, inner) view. */
export function _forEachChannelRun(
  outer: number,
  channels: number,
  inner: number,
  visit: (channel: number, from: number, to: number) => void,
): void {
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      visit(c, base, base + inner);
    }
  }
}
