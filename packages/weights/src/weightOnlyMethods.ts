/**
 * The weight-only methods of this package by name, as ptq's `quantizeWeightsOnly` and onnx's
 * `quantizeMatMulNBits` take them: "rtn" ({@link quantizeBlockwise}, ONNX Runtime's round-to-nearest),
 * "gptq" ({@link gptq}) and "awq" ({@link awq}), which need calibration inputs, and "hqq" ({@link hqq};
 * data-free, asymmetric blocks only).
 *
 * @example
 * WEIGHT_ONLY_METHODS             // ["rtn", "gptq", "awq", "hqq"]
 * WEIGHT_ONLY_METHODS.includes("gptq") // true
 */
export const WEIGHT_ONLY_METHODS = ["rtn", "gptq", "awq", "hqq"] as const;

/** One of {@link WEIGHT_ONLY_METHODS}. */
export type WeightOnlyMethod = (typeof WEIGHT_ONLY_METHODS)[number];
