import type { QParams } from "@quantkit/quantizers";
import { _ObserverBase } from "./_observerBase";
import { _minMaxAlongAxis } from "./_scan";
import { _rejectSymmetricReducedQuint8 } from "./MinMaxObserver";
import type { ObserverOptions, ObserverRange } from "./observer";

/** Options of {@link PerChannelMinMaxObserver}. */
export interface PerChannelMinMaxObserverOptions extends ObserverOptions {
  /** The channel axis; negative counts from the end. Default 0, as PyTorch. */
  chAxis?: number;
}

/** Checks a chAxis option: an integer (its range is checked against each batch's rank). */
export function _checkChAxis(name: string, chAxis: unknown): number {
  if (typeof chAxis !== "number" || !Number.isInteger(chAxis)) {
    throw new TypeError(`${name}: chAxis must be an integer, got ${String(chAxis)}`);
  }
  return chAxis;
}

/**
 * PyTorch's `PerChannelMinMaxObserver`: a running min and max for each index along `chAxis` (the other
 * axes reduced), so that every channel gets its own scale and zero point (the deck's quantization
 * granularity). The default is per_channel_affine on quint8; weights usually take
 * `{ dtype: "qint8", qscheme: "per_channel_symmetric" }`.
 *
 * @example
 * const obs = new PerChannelMinMaxObserver({ chAxis: 0, dtype: "qint8", qscheme: "per_channel_symmetric" });
 * obs.observe(new Float32Array([1, -2, 0.5, 0.25]), [2, 2]);
 * Array.from(obs.maxVal); // [1, 0.5]
 * Array.from(obs.calculateQParams().scale); // [2 / 127.5, 0.5 / 127.5] in float32
 */
export class PerChannelMinMaxObserver extends _ObserverBase {
  readonly chAxis: number;
  /** Running minimum per channel (empty before any batch, as PyTorch's buffer). */
  minVal: Float32Array = new Float32Array(0);
  /** Running maximum per channel. */
  maxVal: Float32Array = new Float32Array(0);

  constructor(
    options: PerChannelMinMaxObserverOptions = {},
    name = "PerChannelMinMaxObserver",
    keys: readonly string[] = [],
  ) {
    super(name, options, {
      dtype: "quint8",
      qscheme: "per_channel_affine",
      kind: "per_channel",
      keys: ["chAxis", ...keys],
    });
    this.chAxis = _checkChAxis(name, options.chAxis ?? 0);
    _rejectSymmetricReducedQuint8(this);
  }

  protected observeBatch(x: Float32Array, shape: readonly number[]): void {
    const { outer, channels, inner } = this.resolveAxis(this.chAxis, shape, "chAxis");
    if (this.batches > 0 && channels !== this.minVal.length) {
      throw new RangeError(
        `${this.name}: batch ${this.batches} has ${channels} channels along chAxis ${this.chAxis} (shape [${shape.join(", ")}]), earlier batches had ${this.minVal.length}`,
      );
    }
    const mins = new Float32Array(channels);
    const maxs = new Float32Array(channels);
    const bad = _minMaxAlongAxis(x, outer, channels, inner, mins, maxs);
    if (bad >= 0) this.throwNonFinite(x, bad);
    this.update(mins, maxs);
  }

  /** How a batch's per-channel (min, max) enters the running statistics; the moving average overrides it. */
  protected update(mins: Float32Array, maxs: Float32Array): void {
    if (this.batches === 0) {
      this.minVal = mins;
      this.maxVal = maxs;
      return;
    }
    for (let c = 0; c < mins.length; c++) {
      if (mins[c]! < this.minVal[c]!) this.minVal[c] = mins[c]!;
      if (maxs[c]! > this.maxVal[c]!) this.maxVal[c] = maxs[c]!;
    }
  }

  protected computeRange(): ObserverRange {
    return { minVal: this.minVal.slice(), maxVal: this.maxVal.slice() };
  }

  protected override decorateQParams(q: QParams): QParams {
    return { ...q, axis: this.chAxis };
  }

  protected resetState(): void {
    this.minVal = new Float32Array(0);
    this.maxVal = new Float32Array(0);
  }
}
