/** The modes users know (transformers.js's dtype names). */
export type OnnxMode = "fp16" | "q8" | "int8" | "q4" | "q4f16";
/** Those `quantkit onnx quantize --mode` offers: the ones @quantkit/onnx has. */
export const MODES: readonly OnnxMode[] = ["fp16", "q8", "int8", "q4", "q4f16"];

/**
 * The activation calibrators of `--mode int8`: @quantkit/onnx's CALIBRATION_METHODS, restated so that
 * the flags parse without loading @quantkit/onnx (importing it from source took 240-480 ms here, and every
 * `quantkit` command registers these flags); quantizeModes.test.ts checks that they are equal.
 */
export const CALIBRATORS = [
  "minmax",
  "moving_average_minmax",
  "histogram",
  "percentile",
  "mse",
  "entropy",
] as const;
export type OnnxCalibrator = (typeof CALIBRATORS)[number];

/** The weight-only methods of `--mode q4` and `q4f16`: @quantkit/weights' WEIGHT_ONLY_METHODS, restated like CALIBRATORS (quantizeQ4.test.ts checks that they are equal). */
export const Q4_METHODS = ["rtn", "gptq", "awq", "hqq"] as const;
export type Q4Method = (typeof Q4_METHODS)[number];

/** `--op-types` of `--mode q4` and `q4f16`: @quantkit/onnx's WEIGHT_ONLY_OP_TYPES, restated like Q4_METHODS. */
export const Q4_OP_TYPES = ["MatMul", "Gather"] as const;
export type Q4OpType = (typeof Q4_OP_TYPES)[number];

/**
 * `--depthwise`: how depthwise Convs are written. q8 takes integer (ConvInteger, as ONNX Runtime's
 * quantize_dynamic), float (its default) or weights; int8 takes qdq (its default), float or weights.
 */
export const DEPTHWISE_LAYOUTS = ["integer", "qdq", "float", "weights"] as const;
export type DepthwiseLayout = (typeof DEPTHWISE_LAYOUTS)[number];

/** The flags of `quantkit onnx quantize`, as commander parses them. */
export interface OnnxQuantizeOptions {
  mode: OnnxMode;
  output: string;
  calibration?: string;
  /** int8: the observer of the activation ranges. */
  calibrator?: OnnxCalibrator;
  /** undefined: the mode's default. */
  perChannel?: boolean;
  exclude?: string[];
  /** q8 / int8: how depthwise Convs are written; undefined: the mode's default. */
  depthwise?: DepthwiseLayout;
  /** q8 / int8: keep this many of the most sensitive nodes float (leave-one-out on the samples). */
  keepFloat?: number;
  maxSamples?: number;
  /** q4 / q4f16: weights per block along K (16..256, a power of two). */
  blockSize?: number;
  /** q4 / q4f16: how the blocks are found. */
  method?: Q4Method;
  /** q4 / q4f16: the op types quantized (MatMul by default; Gather: embedding tables too). */
  opTypes?: Q4OpType[];
  json: boolean;
  progress: boolean;
}
