import type { AnyObserverOptions, ObserverName } from "@quantkit/calibrators";
import { assertOptions } from "@quantkit/tensor";
import type { QConfig } from "./qconfig";

/** Options of {@link createQConfig}. */
export interface CreateQConfigOptions {
  /** Bits of weights and activations alike, 2..8. Default 8. */
  bits?: number;
  /** Bits of the weights (signed symmetric), 2..8; overrides `bits`. */
  weightBits?: number;
  /** Bits of the activations (unsigned affine), 2..8; overrides `bits`. */
  activationBits?: number;
  /**
   * How activation ranges are found: "minmax" (PyTorch's default), "moving_average_minmax" (QAT's
   * default), "histogram" (PyTorch's L2 search), "percentile", "mse", "entropy" (KL). Default "minmax",
   * or "moving_average_minmax" with `qat`.
   */
  activationObserver?: ObserverName;
  /** Extra options for the activation observer (percentile: `{ percentile: 99.99 }`, ...). */
  activationOptions?: AnyObserverOptions;
  /**
   * How weight ranges are found: "minmax", "moving_average_minmax", "percentile", "mse", "entropy",
   * "histogram" (per tensor only). Default "minmax", or "moving_average_minmax" with `qat`.
   */
  weightObserver?: ObserverName;
  /** Extra options for the weight observer. */
  weightOptions?: AnyObserverOptions;
  /** One weight scale per output channel (per_channel_symmetric, axis 0). Default false. */
  perChannel?: boolean;
  /** Halve the activation range (PyTorch's fbgemm `reduce_range`: 8 bits become 0..127). Default false. */
  reduceRange?: boolean;
  /**
   * Weights in the narrow range -(2^(b-1) - 1)..2^(b-1) - 1 (TFLite's int8 weights; scale = max|w| /
   * (2^(b-1) - 1), so -max and +max are both codes). Default false: PyTorch's full signed range
   * -2^(b-1)..2^(b-1) - 1 with scale = max|w| / ((2^b - 1) / 2), where +max rounds to the last code and
   * is clamped half a step short of it, and -max rounds onto the extra negative code.
   */
  narrowRange?: boolean;
  /** Observers for quantization-aware training: moving-average min-max by default (PyTorch's QAT qconfig). */
  qat?: boolean;
  /** A name for reports; default one built from the options ("w4a4 minmax"). */
  name?: string;
}

const PER_CHANNEL: Partial<Record<ObserverName, ObserverName>> = {
  minmax: "per_channel_minmax",
  moving_average_minmax: "moving_average_per_channel_minmax",
  percentile: "per_channel_percentile",
  mse: "per_channel_mse",
  per_channel_minmax: "per_channel_minmax",
  moving_average_per_channel_minmax: "moving_average_per_channel_minmax",
  per_channel_percentile: "per_channel_percentile",
  per_channel_mse: "per_channel_mse",
};

function checkBits(bits: number, name: string): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new RangeError(
      `${name} must be an integer in 2..8, got ${typeof bits === "number" ? bits : JSON.stringify(bits)}`,
    );
  return bits;
}

/**
 * A qconfig for any bit width 2..8 and any observer:
 * - activations: unsigned affine codes 0..2^a - 1 (quint8 storage; `reduceRange` halves it),
 *   per tensor, by `activationObserver`;
 * - weights: signed symmetric codes -2^(w-1)..2^(w-1) - 1 (or the narrow range, see `narrowRange`),
 *   zero point 0, per tensor or per output channel, by `weightObserver`.
 * `createQConfig()` with no options equals {@link fullRangeQConfig}; PyTorch's {@link defaultQConfig}
 * is `createQConfig({ reduceRange: true })`.
 *
 * @example
 * const w4a4 = createQConfig({ bits: 4 });
 * createObserverFrom(w4a4.weight).quantMin     // -8
 * createObserverFrom(w4a4.activation).quantMax // 15
 * createQConfig({ bits: 8, activationObserver: "histogram", perChannel: true });
 */
export function createQConfig(options: CreateQConfigOptions = {}): QConfig {
  assertOptions(
    options,
    [
      "bits",
      "weightBits",
      "activationBits",
      "activationObserver",
      "activationOptions",
      "weightObserver",
      "weightOptions",
      "perChannel",
      "reduceRange",
      "narrowRange",
      "qat",
      "name",
    ],
    "createQConfig options",
  );
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const bits = checkBits(options.bits ?? 8, "bits");
  const weightBits = checkBits(options.weightBits ?? bits, "weightBits");
  const activationBits = checkBits(options.activationBits ?? bits, "activationBits");
  const qat = options.qat ?? false;
  const perChannel = options.perChannel ?? false;
  const activationObserver = options.activationObserver ?? (qat ? "moving_average_minmax" : "minmax");
  let weightObserver = options.weightObserver ?? (qat ? "moving_average_minmax" : "minmax");
  if (perChannel) {
    const pc = PER_CHANNEL[weightObserver];
    if (pc === undefined) {
      throw new RangeError(
        `weightObserver "${weightObserver}" has no per-channel version; per-channel weights take ${Object.keys(PER_CHANNEL).join(", ")}`,
      );
    }
    weightObserver = pc;
  }
  const half = 2 ** (weightBits - 1);
  const narrow = options.narrowRange ?? false;
  const weightRange = { quantMin: narrow ? -(half - 1) : -half, quantMax: half - 1 };
  const name =
    options.name ??
    `w${weightBits}a${activationBits}${perChannel ? " per-channel" : ""} ${activationObserver}${weightObserver === activationObserver ? "" : `/${weightObserver}`}`;
  return {
    name,
    activation: {
      observer: activationObserver,
      options: {
        ...options.activationOptions,
        dtype: "quint8",
        qscheme: "per_tensor_affine",
        quantMin: 0,
        quantMax: 2 ** activationBits - 1,
        reduceRange: options.reduceRange ?? false,
      },
    },
    weight: {
      observer: weightObserver,
      options: {
        ...options.weightOptions,
        dtype: "qint8",
        qscheme: perChannel ? "per_channel_symmetric" : "per_tensor_symmetric",
        ...weightRange,
        ...(perChannel ? { chAxis: 0 } : {}),
      },
    },
  };
}
