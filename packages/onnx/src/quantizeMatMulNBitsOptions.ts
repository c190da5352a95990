import {
  type AwqOptions,
  type GptqOptions,
  type HqqOptions,
  WEIGHT_ONLY_METHODS,
  type WeightBits,
  type WeightOnlyMethod,
} from "@quantkit/weights";
import { _show } from "./_errors";
import { _stringList } from "./_rewrite";

/** The weight-only methods of {@link quantizeMatMulNBits}: @quantkit/weights' own list. */
export { WEIGHT_ONLY_METHODS, type WeightOnlyMethod };

/** Options of {@link quantizeMatMulNBits}. */
export interface QuantizeMatMulNBitsOptions {
  /** Bits per weight: 4 (default), 8 or 2. */
  bits?: WeightBits;
  /** Weights per block along K: a power of two in 16..256 (default 32, transformers.js's q4). */
  blockSize?: number;
  /**
   * Symmetric blocks (zero point 2^(bits-1), no zero-point input; transformers.js's q4, the default) or
   * asymmetric (ONNX Runtime's own default). HQQ is always asymmetric.
   */
  symmetric?: boolean;
  /** Scales in float32 (default) or float16 (q4f16; the activations must then be float16 too). */
  scaleType?: "float32" | "float16";
  /** `com.microsoft.MatMulNBits` (default; onnxruntime-node and -web) or opset-21 blocked DequantizeLinear + MatMul ("QDQ"). */
  format?: "MatMulNBits" | "QDQ";
  /** MatMulNBits' accuracy_level 0..4 (the lowest type A may be converted to; 4 = int8); written only when > 0. */
  accuracyLevel?: number;
  /** "rtn" (default, equal to ONNX Runtime's quantizer), "gptq", "awq" (need `activations`) or "hqq" (data-free). */
  method?: WeightOnlyMethod;
  /** GPTQ / AWQ / HQQ options beyond the block options above. */
  methodOptions?: Omit<GptqOptions, "bits" | "blockSize" | "symmetric" | "scaleType" | "layout"> &
    Omit<AwqOptions, "bits" | "blockSize" | "symmetric" | "scaleType" | "layout" | "inputScale"> &
    Omit<HqqOptions, "bits" | "blockSize" | "scaleType" | "layout"> & {
      /**
       * AWQ: measure a group's shared scale through the block it feeds, as AutoAWQ's `module2inspect`.
       * "attention" (default): q, k and v through their attention block (matched in the graph and checked
       * against the o projection's calibration input; if it cannot be, they keep s = 1 and the report says
       * why); true: also up (or gate and up) through the MLP block; false: q, k and v keep s = 1, the other
       * groups use their own outputs (the README's tiny-lm figures compare them).
       */
      inspectModules?: boolean | "attention";
      /**
       * AWQ: the activations' rows are sequences of this many consecutive tokens (the samples' length
       * when collectMatMulInputs kept every row), for the attention block that q, k and v's scale is
       * measured through. Default: found by running the block (the longest its mask allows that
       * reproduces the o projection's calibration input).
       */
      sequenceLength?: number;
    };
  /**
   * The calibration rows [rows, K] of each MatMul's first input, by its value name, as
   * {@link collectMatMulInputs} returns them (gptq and awq only).
   */
  activations?: ReadonlyMap<string, Float32Array>;
  /** Names of MatMul (or Gather) nodes to keep float. */
  exclude?: readonly string[];
  /**
   * The op types to quantize, ONNX Runtime's `op_types_to_quantize`: ["MatMul"] (default), or with "Gather"
   * also the embedding tables that a Gather along axis 0 reads from a constant 2-D float32 [V, D] (blocks
   * of `blockSize` along D; `com.microsoft.GatherBlockQuantized`, or with format "QDQ" a blocked
   * DequantizeLinear along axis 1 feeding the Gather). Embeddings are round-to-nearest with ONNX
   * Runtime's Gather arithmetic whatever the method, except "hqq" (rounded zero points).
   */
  opTypes?: readonly WeightOnlyOpType[];
}

/**
 * The op types {@link quantizeMatMulNBits} quantizes (its `opTypes` option).
 *
 * @example
 * ```ts
 * import { quantizeMatMulNBits, WEIGHT_ONLY_OP_TYPES } from "@quantkit/onnx";
 * WEIGHT_ONLY_OP_TYPES; // ["MatMul", "Gather"]
 * const { model: q4 } = quantizeMatMulNBits(model, { opTypes: WEIGHT_ONLY_OP_TYPES }); // embeddings too
 * ```
 */
export const WEIGHT_ONLY_OP_TYPES = ["MatMul", "Gather"] as const;
/** One of {@link WEIGHT_ONLY_OP_TYPES}. */
export type WeightOnlyOpType = (typeof WEIGHT_ONLY_OP_TYPES)[number];

export const _NBITS_KEYS = [
  "bits",
  "blockSize",
  "symmetric",
  "scaleType",
  "format",
  "accuracyLevel",
  "method",
  "methodOptions",
  "activations",
  "exclude",
  "opTypes",
];

export interface _Parsed {
  bits: WeightBits;
  blockSize: number;
  symmetric: boolean;
  scaleType: "float32" | "float16";
  format: "MatMulNBits" | "QDQ";
  accuracyLevel: number;
  method: WeightOnlyMethod;
  methodOptions: Record<string, unknown>;
  activations: ReadonlyMap<string, Float32Array> | undefined;
  exclude: Set<string>;
  opTypes: Set<WeightOnlyOpType>;
}

export function _parse(options: QuantizeMatMulNBitsOptions, fn: string): _Parsed {
  const bits = options.bits ?? 4;
  if (bits !== 2 && bits !== 4 && bits !== 8)
    throw new RangeError(`${fn}: bits must be 2, 4 or 8, got ${_show(bits)}`);
  const blockSize = options.blockSize ?? 32;
  if (
    !Number.isInteger(blockSize) ||
    blockSize < 16 ||
    blockSize > 256 ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new RangeError(`${fn}: blockSize must be a power of two in 16..256, got ${_show(blockSize)}`);
  }
  const method = options.method ?? "rtn";
  if (!(WEIGHT_ONLY_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(
      `${fn}: method must be one of ${WEIGHT_ONLY_METHODS.join(", ")}, got ${_show(method)}`,
    );
  }
  if (method === "hqq" && options.symmetric === true) {
    throw new RangeError(`${fn}: method "hqq" quantizes asymmetric blocks; symmetric: true is not possible`);
  }
  const symmetric = method === "hqq" ? false : (options.symmetric ?? true);
  if (typeof symmetric !== "boolean")
    throw new TypeError(`${fn}: symmetric must be a boolean, got ${_show(symmetric)}`);
  const scaleType = options.scaleType ?? "float32";
  if (scaleType !== "float32" && scaleType !== "float16") {
    throw new RangeError(`${fn}: scaleType must be "float32" or "float16", got ${_show(scaleType)}`);
  }
  const format = options.format ?? "MatMulNBits";
  if (format !== "MatMulNBits" && format !== "QDQ") {
    throw new RangeError(`${fn}: format must be "MatMulNBits" or "QDQ", got ${_show(format)}`);
  }
  if (format === "QDQ" && bits === 2)
    throw new RangeError(`${fn}: format "QDQ" has no 2-bit type; use bits 4 or 8`);
  const accuracyLevel = options.accuracyLevel ?? 0;
  if (!Number.isInteger(accuracyLevel) || accuracyLevel < 0 || accuracyLevel > 4) {
    throw new RangeError(`${fn}: accuracyLevel must be an integer in 0..4, got ${_show(accuracyLevel)}`);
  }
  if (format === "QDQ" && accuracyLevel > 0) {
    throw new RangeError(`${fn}: accuracyLevel is a MatMulNBits attribute; format "QDQ" has none`);
  }
  const activations = options.activations;
  if (activations !== undefined && !(activations instanceof Map)) {
    throw new TypeError(
      `${fn}: activations must be a Map of value name -> Float32Array, got ${_show(activations)}`,
    );
  }
  if ((method === "gptq" || method === "awq") && activations === undefined) {
    throw new TypeError(
      `${fn}: method ${_show(method)} needs calibration inputs: pass activations (collectMatMulInputs(model, ...))`,
    );
  }
  const { inspectModules, sequenceLength } = options.methodOptions ?? {};
  if (inspectModules !== undefined && typeof inspectModules !== "boolean" && inspectModules !== "attention")
    throw new TypeError(
      `${fn}: methodOptions.inspectModules must be true, false or "attention", got ${_show(inspectModules)}`,
    );
  if (sequenceLength !== undefined && !(Number.isInteger(sequenceLength) && sequenceLength > 0)) {
    throw new RangeError(
      `${fn}: methodOptions.sequenceLength must be a positive integer, got ${_show(sequenceLength)}`,
    );
  }
  return {
    bits,
    blockSize,
    symmetric,
    scaleType,
    format,
    accuracyLevel,
    method,
    methodOptions: { ...(options.methodOptions ?? {}) },
    activations,
    exclude: new Set(_stringList(options.exclude, "exclude", fn) ?? []),
    opTypes: _opTypes(options.opTypes, fn),
  };
}

function _opTypes(value: unknown, fn: string): Set<WeightOnlyOpType> {
  const list = _stringList(value, "opTypes", fn) ?? ["MatMul"];
  const known: readonly string[] = WEIGHT_ONLY_OP_TYPES;
  for (const t of list) {
    if (!known.includes(t))
      throw new RangeError(`${fn}: opTypes has ${_show(t)}, not one of ${WEIGHT_ONLY_OP_TYPES.join(", ")}`);
  }
  if (list.length === 0)
    throw new RangeError(`${fn}: opTypes is empty; name at least one of ${WEIGHT_ONLY_OP_TYPES.join(", ")}`);
  return new Set(list as WeightOnlyOpType[]);
}

/**
 * awqScale's options for the parsed ones: the block format, B as [K, N], and the search's own (nGrid,
 * duoScaling) from methodOptions.
 */
export function _awqSearch(o: _Parsed) {
  const search = Object.fromEntries(
    Object.entries(o.methodOptions).filter(([k]) => k === "nGrid" || k === "duoScaling"),
  );
  return {
    bits: o.bits,
    blockSize: o.blockSize,
    symmetric: o.symmetric,
    scaleType: o.scaleType,
    layout: "KN" as const,
    ...search,
  };
}
