import type { QParams } from "@quantkit/quantizers";
import type { _ChannelValues } from "./_channelValues";
import { _ObserverBase } from "./_observerBase";
import { _minMaxAlongAxis } from "./_scan";
import type { ObserverOptions } from "./observer";
import { _checkChAxis } from "./PerChannelMinMaxObserver";

/**
 * What the per-channel observers that keep each channel's values in a {@link _ChannelValues} share (the
 * percentile and MSE observers): the `chAxis` option, the batch step (same channel count as earlier
 * batches, finite values, per-channel min/max, then the store), the axis on the qparams and the reset.
 * A subclass sets `store` in its constructor and computes the range from it.
 */
export abstract class _ChannelValuesObserver extends _ObserverBase {
  readonly chAxis: number;
  protected abstract readonly store: _ChannelValues;

  /** `keys`: the subclass's own option keys, after `chAxis`. */
  constructor(name: string, options: ObserverOptions & { chAxis?: number }, keys: readonly string[]) {
    super(name, options, {
      dtype: "quint8",
      qscheme: "per_channel_affine",
      kind: "per_channel",
      keys: ["chAxis", ...keys],
    });
    this.chAxis = _checkChAxis(this.name, options.chAxis ?? 0);
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

  protected override decorateQParams(q: QParams): QParams {
    return { ...q, axis: this.chAxis };
  }

  protected resetState(): void {
    this.store.reset();
  }
}
