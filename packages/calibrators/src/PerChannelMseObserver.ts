import { isSymmetric } from "@quantkit/quantizers";
import { _ChannelValues } from "./_channelValues";
import { _ChannelValuesObserver } from "./_channelValuesObserver";
import { _searchSettings } from "./_mseOptions";
import { _mseSearch } from "./MseObserver";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link PerChannelMseObserver}. */
export interface PerChannelMseObserverOptions extends ObserverOptions {
  /** The channel axis; negative counts from the end. Default 0. */
  chAxis?: number;
  /** Coarse grid points per side (resolution 1/gridSize^2). Default 10: a channel costs about 184 candidates in 2-D. */
  gridSize?: number;
  /** Bins of each channel's histogram. Default 2048. */
  bins?: number;
}

const f32 = Math.fround;

/**
 * {@link MseObserver} for each index along `chAxis`: one histogram per channel and, per channel, the
 * clipping range that minimizes the MSE of fake quantization. Weights usually take
 * `{ dtype: "qint8", qscheme: "per_channel_symmetric" }`, a one-parameter search per channel.
 *
 * @example
 * import { Rng } from "@quantkit/tensor";
 * const obs = new PerChannelMseObserver({ chAxis: 0, dtype: "qint8", qscheme: "per_channel_symmetric" });
 * const w = new Rng(0).fillNormal(new Float32Array(2 * 50_000));
 * for (let i = 50_000; i < 100_000; i++) w[i] *= 0.1; // channel 1 ten times narrower
 * obs.observe(w, [2, 50_000]);
 * Array.from(obs.range().maxVal); // [3.84, 0.366]
 */
export class PerChannelMseObserver extends _ChannelValuesObserver {
  readonly gridSize: number;
  readonly bins: number;
  protected readonly store: _ChannelValues;

  constructor(options: PerChannelMseObserverOptions = {}) {
    super("PerChannelMseObserver", options, ["gridSize", "bins"]);
    ({ gridSize: this.gridSize, bins: this.bins } = _searchSettings(this.name, options, {
      gridSize: 20,
      bins: 2048,
    }));
    this.store = new _ChannelValues(this.bins, 0);
  }

  protected computeRange(): ObserverRange {
    const n = this.store.channels;
    const minVal = new Float32Array(n);
    const maxVal = new Float32Array(n);
    const symmetric = isSymmetric(this.qscheme);
    const opts = {
      ...this.qparamsOptions,
      qscheme: symmetric ? "per_tensor_symmetric" : "per_tensor_affine",
    } as const;
    for (let c = 0; c < n; c++) {
      const r = _mseSearch(
        this.store.hists![c]!,
        opts,
        this.quantMin,
        this.quantMax,
        symmetric,
        this.gridSize,
      );
      minVal[c] = f32(r.lo);
      maxVal[c] = f32(r.hi);
    }
    return { minVal, maxVal };
  }
}
