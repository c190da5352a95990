import type { QConfig } from "./qconfig";

/**
 * PyTorch's `default_qconfig` (eager mode, fbgemm): activations by `MinMaxObserver` with
 * `quant_min=0, quant_max=127` (quint8 per_tensor_affine, 7-bit: fbgemm's reduce range), weights by
 * `MinMaxObserver(dtype=qint8, qscheme=per_tensor_symmetric)` (scale = max|w| / 127.5, codes -128..127).
 * The deck's PTQ notebook uses it. quantkit's integer model clamps activations at the observer's range
 * (0..127 here); PyTorch's quantized kernels saturate at the dtype's 0..255 instead, so a value above
 * the calibrated maximum keeps a little headroom there and is clipped here.
 *
 * @example
 * const prepared = prepare(model, defaultQConfig);
 */
export const defaultQConfig: QConfig = Object.freeze<QConfig>({
  name: "defaultQConfig",
  activation: {
    observer: "minmax",
    options: { dtype: "quint8", qscheme: "per_tensor_affine", quantMin: 0, quantMax: 127 },
  },
  weight: { observer: "minmax", options: { dtype: "qint8", qscheme: "per_tensor_symmetric" } },
});

/**
 * PyTorch's `default_per_channel_qconfig`: activations as {@link defaultQConfig}, weights by
 * `PerChannelMinMaxObserver(dtype=qint8, qscheme=per_channel_symmetric, ch_axis=0)`: one scale per
 * output channel.
 *
 * @example
 * const prepared = prepare(model, defaultPerChannelQConfig);
 */
export const defaultPerChannelQConfig: QConfig = Object.freeze<QConfig>({
  name: "defaultPerChannelQConfig",
  activation: defaultQConfig.activation,
  weight: {
    observer: "per_channel_minmax",
    options: { dtype: "qint8", qscheme: "per_channel_symmetric", chAxis: 0 },
  },
});

/**
 * PyTorch's `default_qat_qconfig`: activations by a FakeQuantize with `MovingAverageMinMaxObserver`
 * (quint8 per_tensor_affine, quant_min 0, quant_max 255, reduce_range=True: codes 0..127), weights by a
 * FakeQuantize with `MovingAverageMinMaxObserver` (qint8 -128..127, per_tensor_symmetric). Used by
 * `prepareQat` of @quantkit/qat; with `prepare` it calibrates with moving averages.
 *
 * @example
 * const qat = prepareQat(model, defaultQatQConfig);
 */
export const defaultQatQConfig: QConfig = Object.freeze<QConfig>({
  name: "defaultQatQConfig",
  activation: {
    observer: "moving_average_minmax",
    options: { dtype: "quint8", qscheme: "per_tensor_affine", quantMin: 0, quantMax: 255, reduceRange: true },
  },
  weight: {
    observer: "moving_average_minmax",
    options: { dtype: "qint8", qscheme: "per_tensor_symmetric", quantMin: -128, quantMax: 127 },
  },
});

/**
 * PyTorch's `default_per_channel_qat_qconfig`: {@link defaultQatQConfig} with weights by
 * `MovingAveragePerChannelMinMaxObserver` (qint8, per_channel_symmetric, ch_axis 0).
 *
 * @example
 * const qat = prepareQat(model, defaultPerChannelQatQConfig);
 */
export const defaultPerChannelQatQConfig: QConfig = Object.freeze<QConfig>({
  name: "defaultPerChannelQatQConfig",
  activation: defaultQatQConfig.activation,
  weight: {
    observer: "moving_average_per_channel_minmax",
    options: { dtype: "qint8", qscheme: "per_channel_symmetric", quantMin: -128, quantMax: 127, chAxis: 0 },
  },
});

/**
 * Full-range 8-bit: activations by `MinMaxObserver` over all of quint8 (0..255), weights as
 * {@link defaultQConfig}. PyTorch halves the activation range because fbgemm's `vpmaddubsw` adds two
 * uint8 x int8 products in int16 and can saturate there; quantkit's kernels widen to int16 before
 * multiplying and accumulate in int32 (WebAssembly `i32x4.dot_i16x8_s`, or plain JS), so nothing
 * saturates and the eighth bit is free: half the activation rounding error of the default.
 *
 * @example
 * const prepared = prepare(model, fullRangeQConfig);
 */
export const fullRangeQConfig: QConfig = Object.freeze<QConfig>({
  name: "fullRangeQConfig",
  activation: { observer: "minmax", options: { dtype: "quint8", qscheme: "per_tensor_affine" } },
  weight: defaultQConfig.weight,
});

/**
 * The presets by name, for configs and command lines.
 *
 * @example
 * QCONFIG_PRESETS.defaultQConfig === defaultQConfig // true
 */
export const QCONFIG_PRESETS: Readonly<Record<string, QConfig>> = Object.freeze({
  defaultQConfig,
  defaultPerChannelQConfig,
  defaultQatQConfig,
  defaultPerChannelQatQConfig,
  fullRangeQConfig,
});
