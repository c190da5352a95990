/**
 * Floyd and Rivest's SELECT (CACM 1975, algorithm 489): reorders a[left..right] in place so that a[k] is
 * the k-th smallest value, everything before it <= a[k] and everything after it >= a[k]. Expected
 * n + min(k, n - k) + o(n) comparisons; for large ranges it first recurses on a small sample to pick
 * pivots close to the k-th value. Valid for finite values (observers reject NaN before this).
 */
export function _select(a: Float32Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      // Narrow [left, right] around k using a sample of about n^(2/3) values.
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      _select(a, k, newLeft, newRight);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * The p-th percentile (p in [0, 100]) of the first n values of a, by linear interpolation between order
 * statistics (numpy's default, R-7): h = (n - 1) p / 100, x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)).
 * Reorders a[0..n-1]; selection, not a sort: O(n) expected.
 */
export function _percentileExact(a: Float32Array, n: number, p: number): number {
  const h = ((n - 1) * p) / 100;
  const k = Math.floor(h);
  _select(a, k, 0, n - 1);
  const lo = a[k]!;
  const frac = h - k;
  if (frac === 0 || k + 1 >= n) return lo;
  // After selection everything right of k is >= a[k]: the next order statistic is their minimum.
  let hi = Number.POSITIVE_INFINITY;
  for (let i = k + 1; i < n; i++) if (a[i]! < hi) hi = a[i]!;
  return lo + frac * (hi - lo);
}
