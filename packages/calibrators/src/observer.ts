import type { DType, QParams, QScheme } from "@quantkit/quantizers";

/**
 * Options every observer takes, camelCase versions of PyTorch's observer arguments
 * (`dtype`, `qscheme`, `reduce_range`, `quant_min`, `quant_max`, `eps`).
 */
export interface ObserverOptions {
  /** The quantized dtype the range is for. Default "quint8" (PyTorch's default), "qint8" for the entropy observer. */
  dtype?: DType;
  /** How scale and zero point follow from the range. Per-tensor observers take the two per_tensor schemes, per-channel ones the two per_channel schemes. */
  qscheme?: QScheme;
  /** Halve the integer range (PyTorch's `reduce_range`, for x86's vpmaddubsw). Default false. */
  reduceRange?: boolean;
  /** A custom integer range; give both or neither. It must contain 0 and hold at most 2^16 codes. */
  quantMin?: number;
  quantMax?: number;
  /**
   * A bit width 1..16, shorthand for the custom range of that many bits with the dtype's signedness
   * (8 with "qint8" is -128..127, 4 with "quint8" is 0..15). Not together with quantMin/quantMax.
   */
  bits?: number;
  /** Smallest scale. Default `torch.finfo(torch.float32).eps` = 2^-23. */
  eps?: number;
}

/** A clipping range: one (minVal, maxVal) pair per channel (one in all for per-tensor observers). */
export interface ObserverRange {
  minVal: Float32Array;
  maxVal: Float32Array;
}

/**
 * The contract every quantkit observer keeps, as PyTorch's `ObserverBase` does: feed it any number of
 * batches with {@link Observer.observe}, then ask for scale and zero point with
 * {@link Observer.calculateQParams}. Observers check what they are fed: a batch with NaN or Infinity,
 * an empty batch or a shape that does not fit throws an error that names the observer, the batch and the
 * first bad index, and leaves the observer as it was.
 *
 * @example
 * const obs = createObserver("minmax");
 * obs.observe(new Float32Array([-1, 0.5, 2]));
 * obs.calculateQParams().zeroPoint[0]; // 85
 */
export interface Observer {
  /** The class name, used in error messages ("MinMaxObserver"). */
  readonly name: string;
  readonly dtype: DType;
  readonly qscheme: QScheme;
  /** The integer range after custom ranges, `bits` and `reduceRange` are applied. */
  readonly quantMin: number;
  readonly quantMax: number;
  readonly reduceRange: boolean;
  readonly eps: number;
  /** How many batches were observed since construction or the last {@link Observer.reset}. */
  readonly batches: number;
  /**
   * Records the statistics of one batch and returns the batch unchanged (PyTorch's `forward`).
   * `shape` defaults to `[x.length]`; per-channel and softmax observers need the real shape.
   */
  observe(x: Float32Array, shape?: readonly number[]): Float32Array;
  /** The clipping range the observer picks from what it has seen (after its search, if it searches). */
  range(): ObserverRange;
  /** Scale and zero point for {@link Observer.range}, through `calculateQParams` of @quantkit/quantizers. */
  calculateQParams(): QParams;
  /** Forgets everything observed; the options stay. */
  reset(): void;
}
