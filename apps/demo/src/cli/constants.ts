// Names the option parsers need, kept apart from the commands so that `--help`, `--version` and
// `explain` do not load the training and quantization packages (about 0.7 s through tsx, measured).

/** The data sets `quantkit run` knows. */
export const DATASETS = ["mnist", "fashion-mnist", "idx"] as const;
/** The CPU backends `--backends` takes. */
export const CPU_BACKENDS = ["wasm-simd", "js"] as const;
/** The activation calibrators `quantkit run --calibrators` takes. */
export const RUN_CALIBRATORS = [
  "minmax",
  "histogram",
  "percentile",
  "mse",
  "entropy",
  "moving_average_minmax",
] as const;
/** The weight calibrators `--weight-calibrators` takes. */
export const WEIGHT_CALIBRATORS = ["minmax", "mse", "percentile", "histogram", "entropy"] as const;
/** The calibrators `quantkit quantize --calibrator` takes ("all" runs every one that fits). */
export const QUANTIZE_CALIBRATORS = [
  "minmax",
  "percentile",
  "mse",
  "entropy",
  "histogram",
  "crossentropy",
] as const;
/** The float formats `quantkit explain --formats` takes (PyTorch's dtype names). */
export const FLOAT_FORMAT_NAMES = [
  "float32",
  "float16",
  "bfloat16",
  "float8_e4m3fn",
  "float8_e5m2",
  "float8_e4m3fnuz",
  "float8_e5m2fnuz",
] as const;
