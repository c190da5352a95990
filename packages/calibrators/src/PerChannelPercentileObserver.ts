import { _ChannelValues } from "./_channelValues";
import { _ChannelValuesObserver } from "./_channelValuesObserver";
import { _percentileSettings } from "./_percentileOptions";
import { _percentileExact } from "./_select";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link PerChannelPercentileObserver}. */
export interface PerChannelPercentileObserverOptions extends ObserverOptions {
  /** The channel axis; negative counts from the end. Default 0. */
  chAxis?: number;
  /** The upper percentile in (0, 100]. Default 99.99. */
  percentile?: number;
  /** The lower percentile. Default 100 - percentile. */
  lowerPercentile?: number;
  /** Exact (selection per channel) while at most this many values in all are observed. Default 2^22. */
  exactLimit?: number;
  /** Bins of each channel's histogram past exactLimit. Default 2048. */
  bins?: number;
}

const f32 = Math.fround;

/**
 * {@link PercentileObserver} for each index along `chAxis`: every channel gets the [lowerPercentile,
 * percentile] range of its own values. Exact (selection per channel) while the total stays within
 * `exactLimit` (2^22 values by default, enough for most weight tensors); past it, one equal-width
 * histogram of `bins` bins per channel whose grid grows by powers of two, each end then within one bin
 * width of the exact percentile ({@link errorBound}).
 *
 * @example
 * const obs = new PerChannelPercentileObserver({ chAxis: 0, percentile: 50, dtype: "qint8", qscheme: "per_channel_symmetric" });
 * obs.observe(new Float32Array([1, 2, 3, -4, -5, -6]), [2, 3]);
 * Array.from(obs.range().maxVal); // [2, -5]: the median of each row
 */
export class PerChannelPercentileObserver extends _ChannelValuesObserver {
  readonly percentile: number;
  readonly lowerPercentile: number;
  readonly exactLimit: number;
  readonly bins: number;
  protected readonly store: _ChannelValues;

  constructor(options: PerChannelPercentileObserverOptions = {}) {
    super("PerChannelPercentileObserver", options, ["percentile", "lowerPercentile", "exactLimit", "bins"]);
    const s = _percentileSettings(this.name, options, 2 ** 22);
    this.percentile = s.upper;
    this.lowerPercentile = s.lower;
    this.exactLimit = s.exactLimit;
    const bins = options.bins ?? 2048;
    if (!Number.isInteger(bins) || bins < 2 || bins > 2 ** 24) {
      throw new RangeError(`${this.name}: bins must be an integer in 2..2^24, got ${String(bins)}`);
    }
    this.bins = bins;
    this.store = new _ChannelValues(bins, this.exactLimit);
  }

  /** True while every channel's percentiles are exact. */
  get exact(): boolean {
    return this.store.exact;
  }

  /** Per channel, a bound on |range() - exact percentiles|: 0 while exact, else the channel's bin width. */
  errorBound(): Float32Array {
    const out = new Float32Array(this.store.channels);
    if (this.store.hists) {
      for (let c = 0; c < out.length; c++) out[c] = this.store.hists[c]!.width;
    }
    return out;
  }

  protected computeRange(): ObserverRange {
    const n = this.store.channels;
    const minVal = new Float32Array(n);
    const maxVal = new Float32Array(n);
    for (let c = 0; c < n; c++) {
      if (this.store.hists) {
        const h = this.store.hists[c]!;
        minVal[c] = f32(h.percentile(this.lowerPercentile));
        maxVal[c] = f32(h.percentile(this.percentile));
      } else {
        const v = this.store.values(c);
        minVal[c] = f32(_percentileExact(v, v.length, this.lowerPercentile));
        maxVal[c] = f32(_percentileExact(v, v.length, this.percentile));
      }
    }
    return { minVal, maxVal };
  }
}
