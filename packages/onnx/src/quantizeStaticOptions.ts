// The options of quantizeStatic, and their checks.
import type { AnyObserverOptions } from "@quantkit/calibrators";
import { _checkOptions, _show } from "./_errors";
import { _stringList } from "./_rewrite";
import type { _WeightType } from "./_weights";
import { CALIBRATION_METHODS, type CalibrationMethod, type CalibrationResult } from "./calibrate";
import type { EngineFeeds, InferenceEngine } from "./InferenceEngine";
import { INT8_DEFAULT_OP_TYPES, INT8_OP_TYPES } from "./int8OpTypes";

/** Options of {@link quantizeStatic}. */
export interface QuantizeStaticOptions {
  /** Runs the model for calibration and the SQNR report, e.g. `ortEngine(ort)`. */
  engine: InferenceEngine;
  /** Calibration inputs, one object of named tensors per run. */
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /** The activation observer (see {@link calibrate}); default "minmax". */
  method?: CalibrationMethod;
  /** Options of that observer (`percentile`, `bins`...); dtype and qscheme follow `activationType`. */
  observerOptions?: AnyObserverOptions;
  /** One weight scale per output channel (Conv axis 0, MatMul axis 1, Gemm by transB). Default true; needs opset 13. */
  perChannel?: boolean;
  /**
   * "uint8" (default: zero point 128; uint8 x uint8 is exact on every x86 CPU) or "int8" (zero point 0:
   * exact in onnxruntime-web, whose WebAssembly kernels widen to 16 bits first, but no faster there;
   * faster in onnxruntime-node on CPUs with AVX-512 VNNI, and saturating pairs of products without).
   */
  weightType?: _WeightType;
  /** "uint8" (default, asymmetric) or "int8" (asymmetric) activations. */
  activationType?: "uint8" | "int8";
  /**
   * Op types to write in QDQ, among those onnxruntime's CPU provider fuses into QLinear* kernels. Default:
   * Conv, MatMul, Gemm, AveragePool, GlobalAveragePool, LeakyRelu, Sigmoid, Concat and the data movers
   * MaxPool, Resize, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Slice, Gather, Expand, Tile (with
   * their input's scale and zero point). On request Add and Mul (QLinearAdd / QLinearMul: faster where
   * elementwise chains sit between Convs, e.g. hard-swish, but each is one more requantization) and
   * Softmax. Only weighted nodes start a quantized region; ["Conv", "MatMul", "Gemm"] quantizes only them.
   */
  opTypes?: readonly string[];
  /** Names of nodes to keep float. */
  exclude?: readonly string[];
  /**
   * Depthwise Convs (one input and one output channel per group): "qdq" (default: QLinearConv, the
   * smallest file), "float" (kept float: faster in onnxruntime-web, whose WebAssembly build has no SIMD
   * loop for the quantized depthwise kernel, and here in onnxruntime-node too; the file keeps their
   * float32 weights) or "weights" (8-bit weight codes + DequantizeLinear, float Conv: as small as "qdq"
   * and as fast as "float" in onnxruntime-web, slower in onnxruntime-node, which then loses the Conv's
   * NCHWc layout). One that reads a quantized node's output and whose output reaches a quantized node
   * through Relu / Clip only is written QDQ anyway: onnxruntime would quantize it itself, per tensor
   * (its WeightBiasQuantization transformer). Measured figures in the README.
   */
  depthwise?: "qdq" | "float" | "weights";
  /** Fold BatchNormalization into the Conv before it first (as onnxruntime's pre-processing does). Default true. */
  foldBatchNorm?: boolean;
  /**
   * Fold into a quantized output's quantization the node that alone reads it, repeatedly: a Relu, a Clip
   * with constant bounds min <= 0 <= max, a Div or Mul by a positive scalar constant. Default true.
   */
  fuseRelu?: boolean;
  /** Upgrade opset 10..12 models to 13 (needed for per-channel weights). Default true. */
  upgrade?: boolean;
  /**
   * Ranges found earlier by {@link calibrate} on this model (every tensor, or at least those this
   * quantization needs), reused instead of calibrating again; `samples` then only feed `evaluate`. The
   * observer that made them decides the activations' scales, so `method` and `observerOptions` are not used.
   */
  calibration?: CalibrationResult;
  /** Measure per-node and output SQNR against the float model on the samples. Default true. */
  evaluate?: boolean;
  onProgress?: (samplesDone: number) => void;
  signal?: AbortSignal;
}

/** The options with their defaults, checked; throws naming the bad one. */
export function _parseStaticOptions(options: QuantizeStaticOptions) {
  const fn = "quantizeStatic";
  _checkOptions(fn, options, [
    "engine",
    "samples",
    "method",
    "observerOptions",
    "perChannel",
    "weightType",
    "activationType",
    "opTypes",
    "exclude",
    "depthwise",
    "fuseRelu",
    "foldBatchNorm",
    "upgrade",
    "evaluate",
    "calibration",
    "onProgress",
    "signal",
  ]);
  if (options === undefined) throw new TypeError(`${fn}: options with engine and samples are required`);
  const perChannel = _bool(options.perChannel, true, "perChannel", fn);
  const fuseRelu = _bool(options.fuseRelu, true, "fuseRelu", fn);
  const foldBatchNorm = _bool(options.foldBatchNorm, true, "foldBatchNorm", fn);
  const upgrade = _bool(options.upgrade, true, "upgrade", fn);
  const evaluate = _bool(options.evaluate, true, "evaluate", fn);
  const weightType = options.weightType ?? "uint8";
  if (weightType !== "uint8" && weightType !== "int8")
    throw new TypeError(`${fn}: weightType must be "int8" or "uint8", got ${_show(weightType)}`);
  const activationType = options.activationType ?? "uint8";
  if (activationType !== "uint8" && activationType !== "int8") {
    throw new TypeError(`${fn}: activationType must be "int8" or "uint8", got ${_show(activationType)}`);
  }
  const method = options.method ?? "minmax";
  if (!CALIBRATION_METHODS.includes(method))
    throw new TypeError(
      `${fn}: method must be one of ${CALIBRATION_METHODS.join(", ")}; got ${_show(method)}`,
    );
  const opTypes = _stringList(options.opTypes, "opTypes", fn) ?? INT8_DEFAULT_OP_TYPES;
  for (const t of opTypes) {
    if (!INT8_OP_TYPES.includes(t))
      throw new RangeError(
        `${fn}: opTypes: int8 cannot quantize ${_show(t)} (it quantizes ${INT8_OP_TYPES.join(", ")})`,
      );
  }
  const exclude = new Set(_stringList(options.exclude, "exclude", fn) ?? []);
  const depthwise = options.depthwise ?? "qdq";
  if (depthwise !== "qdq" && depthwise !== "float" && depthwise !== "weights")
    throw new TypeError(`${fn}: depthwise must be "qdq", "float" or "weights", got ${_show(depthwise)}`);
  if (options.calibration !== undefined && !(options.calibration?.ranges instanceof Map))
    throw new TypeError(
      `${fn}: calibration must be what calibrate() returns, got ${_show(options.calibration)}`,
    );
  return {
    perChannel,
    fuseRelu,
    foldBatchNorm,
    upgrade,
    evaluate,
    weightType,
    activationType,
    method,
    opTypes,
    exclude,
    depthwise,
  };
}

function _bool(v: unknown, fallback: boolean, name: string, fn: string): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new TypeError(`${fn}: ${name} must be a boolean, got ${_show(v)}`);
  return v;
}
