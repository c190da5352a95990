import { isSymmetric, type QParams } from "@quantkit/quantizers";
import { _ChannelValues } from "./_channelValues";
import { _searchSettings } from "./_mseOptions";
import { _ObserverBase } from "./_observerBase";
import { _minMaxAlongAxis } from "./_scan";
import { _mseSearch } from "./MseObserver";
import type { ObserverOptions, ObserverRange } from "./observer";
import { _checkChAxis } from "./PerChannelMinMaxObserver";

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
export class PerChannelMseObserver extends _ObserverBase {
  readonly chAxis: number;
  readonly gridSize: number;
  readonly bins: number;
  private readonly store: _ChannelValues;

  constructor(options: PerChannelMseObserverOptions = {}) {
    super("PerChannelMseObserver", options, {
      dtype: "quint8",
      qscheme: "per_channel_affine",
      kind: "per_channel",
      keys: ["chAxis", "gridSize", "bins"],
    });
    this.chAxis = _checkChAxis(this.name, options.chAxis ?? 0);
    ({ gridSize: this.gridSize, bins: this.bins } = _searchSettings(this.name, options, {
      gridSize: 20,
      bins: 2048,
    }));
    this.store = new _ChannelValues(this.bins, 0);
  }

  protected observeBatch(x: Float32Array, shape: readonly number[]): void {
    const { outer, channels, inner } = this.resolveAxis(this.chAxis, shape, "chAxis");
    if (this.batches > 0 && channels !== this.store.channels) {
      throw new RangeError(
        `${this.name}: batch ${this.batches} has ${channels} channels along chAxis ${this.chAxis}, earlier batches had ${this.store.channels}`,
      );
    }
    const mins = new Float32Array(channels);
    const maxs = new Float32Array(channels);
    const bad = _minMaxAlongAxis(x, outer, channels, inner, mins, maxs);
    if (bad >= 0) this.throwNonFinite(x, bad);
    this.store.add(x, outer, channels, inner, mins, maxs);
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

  protected override decorateQParams(q: QParams): QParams {
    return { ...q, axis: this.chAxis };
  }

  protected resetState(): void {
    this.store.reset();
  }
}
