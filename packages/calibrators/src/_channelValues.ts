import { _LinearHistogram } from "./_linearHistogram";

/**
 * Per-channel value store for the per-channel percentile and MSE observers: keeps every value per channel
 * while the total stays within `exactLimit`, then moves to one growing linear histogram per channel
 * (`bins` bins). Per-channel min/max are exact throughout.
 */
export class _ChannelValues {
  readonly bins: number;
  readonly exactLimit: number;
  channels = 0;
  mins = new Float32Array(0);
  maxs = new Float32Array(0);
  private kept: Float32Array[] = [];
  private keptCount: Int32Array = new Int32Array(0);
  private total = 0;
  hists: _LinearHistogram[] | undefined;

  constructor(bins: number, exactLimit: number) {
    this.bins = bins;
    this.exactLimit = exactLimit;
  }

  get exact(): boolean {
    return this.hists === undefined;
  }

  /** Values kept for channel c (exact mode only). */
  values(c: number): Float32Array {
    return this.kept[c]!.subarray(0, this.keptCount[c]!);
  }

  /**
   * Adds a checked batch viewed as (outer, channels, inner) with its per-channel min/max already computed.
   */
  add(
    x: Float32Array,
    outer: number,
    channels: number,
    inner: number,
    mins: Float32Array,
    maxs: Float32Array,
  ): void {
    if (this.channels === 0) {
      this.channels = channels;
      this.mins = mins.slice();
      this.maxs = maxs.slice();
      this.kept = Array.from({ length: channels }, () => new Float32Array(0));
      this.keptCount = new Int32Array(channels);
    } else {
      for (let c = 0; c < channels; c++) {
        if (mins[c]! < this.mins[c]!) this.mins[c] = mins[c]!;
        if (maxs[c]! > this.maxs[c]!) this.maxs[c] = maxs[c]!;
      }
    }
    if (!this.hists && this.total + x.length > this.exactLimit) this.toHistograms();
    if (this.hists) {
      for (let c = 0; c < channels; c++) this.hists[c]!.ensureRange(mins[c]!, maxs[c]!);
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < channels; c++) {
          const base = (o * channels + c) * inner;
          this.hists[c]!.add(x, base, base + inner);
        }
      }
    } else {
      const per = outer * inner;
      for (let c = 0; c < channels; c++) {
        const need = this.keptCount[c]! + per;
        if (need > this.kept[c]!.length) {
          const grown = new Float32Array(Math.max(need, 2 * this.kept[c]!.length));
          grown.set(this.values(c));
          this.kept[c] = grown;
        }
      }
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < channels; c++) {
          const base = (o * channels + c) * inner;
          const dst = this.kept[c]!;
          let n = this.keptCount[c]!;
          for (let i = base; i < base + inner; i++) dst[n++] = x[i]!;
          this.keptCount[c] = n;
        }
      }
    }
    this.total += x.length;
  }

  private toHistograms(): void {
    const hists: _LinearHistogram[] = [];
    for (let c = 0; c < this.channels; c++) {
      const h = new _LinearHistogram(this.bins);
      const v = this.values(c);
      if (v.length > 0) {
        let mn = v[0]!;
        let mx = v[0]!;
        for (let i = 1; i < v.length; i++) {
          if (v[i]! < mn) mn = v[i]!;
          if (v[i]! > mx) mx = v[i]!;
        }
        h.ensureRange(mn, mx);
        h.add(v);
      }
      hists.push(h);
    }
    this.hists = hists;
    this.kept = [];
    this.keptCount = new Int32Array(0);
  }

  reset(): void {
    this.channels = 0;
    this.mins = new Float32Array(0);
    this.maxs = new Float32Array(0);
    this.kept = [];
    this.keptCount = new Int32Array(0);
    this.total = 0;
    this.hists = undefined;
  }
}
