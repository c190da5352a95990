/**
 * A histogram over float32 bit patterns (log-linear buckets, as HdrHistogram): the bucket of v is the top
 * 1 + 8 + `mantissaBits` bits of its float32 encoding, so each power-of-two interval [2^e, 2^(e+1)) is
 * split into 2^mantissaBits equal buckets. It needs no range, never rebins, and gives the same counts
 * whatever the batch order. A bucket is at most 2^-mantissaBits of its values' magnitude wide (subnormal
 * and zero buckets are narrower still), so an order statistic read from it is off by at most
 * 2^-mantissaBits * |value| (0.05% with the default 11 bits).
 *
 * One pass of one shift and one increment a value: about as fast as a min/max pass (measured), which a
 * range-based histogram cannot be because it needs the min/max first.
 */
export class _LogHistogram {
  readonly mantissaBits: number;
  private readonly shift: number;
  /** Buckets of one sign: magnitudes below `finiteBuckets` are finite, the rest Infinity/NaN. */
  private readonly half: number;
  private readonly finiteBuckets: number;
  readonly counts: Uint32Array;
  total = 0;

  constructor(mantissaBits = 11) {
    if (!Number.isInteger(mantissaBits) || mantissaBits < 0 || mantissaBits > 15) {
      throw new RangeError(`mantissaBits must be an integer in 0..15, got ${mantissaBits}`);
    }
    this.mantissaBits = mantissaBits;
    this.shift = 23 - mantissaBits;
    this.half = 2 ** (8 + mantissaBits);
    this.finiteBuckets = 0x7f800000 >>> this.shift;
    this.counts = new Uint32Array(2 * this.half);
  }

  /**
   * Adds x[from..to) and returns -1, or, if x holds NaN or ±Infinity, leaves the counts as they were and
   * returns the first bad index.
   */
  add(x: Float32Array, from = 0, to = x.length): number {
    const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const c = this.counts;
    const sh = this.shift;
    let i = from;
    const end4 = from + ((to - from) & ~3);
    for (; i < end4; i += 4) {
      c[u[i]! >>> sh]!++;
      c[u[i + 1]! >>> sh]!++;
      c[u[i + 2]! >>> sh]!++;
      c[u[i + 3]! >>> sh]!++;
    }
    for (; i < to; i++) c[u[i]! >>> sh]!++;
    let bad = 0;
    for (let m = this.finiteBuckets; m < this.half; m++) bad += c[m]! + c[this.half + m]!;
    if (bad > 0) {
      for (let k = from; k < to; k++) c[u[k]! >>> sh]!--;
      for (let k = from; k < to; k++) if (x[k]! - x[k]! !== 0) return k;
    }
    this.total += to - from;
    if (this.total > 0xffffffff)
      throw new RangeError(`a percentile histogram holds at most 2^32 - 1 values, got ${this.total}`);
    return -1;
  }

  /**
   * The values of 0-based ranks (each in 0..total-1) in sorted order, a bucket's values placed evenly
   * inside it: each within one bucket width of the true order statistic. One scan over the buckets for
   * all ranks (the scan, 2^(9 + mantissaBits) buckets, is the fixed cost of a query: about 1 ms).
   */
  valuesAtRanks(ranks: readonly number[]): number[] {
    const order = ranks.map((r, i) => [r, i] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(ranks.length).fill(Number.NaN);
    const c = this.counts;
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const edge = (m: number) => {
      if (m >= this.finiteBuckets) return 3.4028234663852886e38;
      u[0] = m << this.shift;
      return f[0]!;
    };
    let next = 0;
    let seen = 0;
    const visit = (m: number, k: number, negative: boolean) => {
      while (next < order.length && order[next]![0] < seen + k) {
        const t = (order[next]![0] - seen + 0.5) / k;
        const lo = edge(m);
        const hi = edge(m + 1);
        out[order[next]![1]] = negative ? -(hi - t * (hi - lo)) : lo + t * (hi - lo);
        next++;
      }
      seen += k;
    };
    // Negative values first, largest magnitude first; then the positive ones, smallest first.
    for (let m = this.finiteBuckets - 1; m >= 0 && next < order.length; m--) {
      const k = c[this.half + m]!;
      if (k !== 0) visit(m, k, true);
    }
    for (let m = 0; m < this.finiteBuckets && next < order.length; m++) {
      const k = c[m]!;
      if (k !== 0) visit(m, k, false);
    }
    if (next < order.length) throw new RangeError(`rank ${order[next]![0]} is outside 0..${this.total - 1}`);
    return out;
  }

  /** R-7 percentiles (each p in [0, 100], see `_percentileExact`), from the buckets, in one scan. */
  percentiles(ps: readonly number[]): number[] {
    const ranks: number[] = [];
    for (const p of ps) {
      const h = ((this.total - 1) * p) / 100;
      const k = Math.floor(h);
      ranks.push(k, Math.min(k + 1, this.total - 1));
    }
    const v = this.valuesAtRanks(ranks);
    return ps.map((p, i) => {
      const h = ((this.total - 1) * p) / 100;
      const frac = h - Math.floor(h);
      const lo = v[2 * i]!;
      return frac === 0 ? lo : lo + frac * (v[2 * i + 1]! - lo);
    });
  }

  /** Width of the bucket that holds v: the error bound of an order statistic near v. */
  bucketWidth(v: number): number {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, Math.abs(v));
    const m = view.getUint32(0) >>> this.shift;
    const at = (b: number) => {
      view.setUint32(0, (b << this.shift) >>> 0);
      return view.getFloat32(0);
    };
    return at(m + 1) - at(m);
  }
}
