import { _KINDS } from "./_qdqLayout";

/**
 * Every op type {@link quantizeStatic} can write in QDQ (its `opTypes` option): those onnxruntime's CPU
 * provider fuses into QLinear* kernels. Conv, MatMul, Gemm (weights); Add, Mul (QLinearAdd /
 * QLinearMul); AveragePool, GlobalAveragePool, LeakyRelu, Sigmoid, Softmax; Concat; and the data movers
 * MaxPool, Resize, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Slice, Gather, Expand, Tile, which
 * take their input's scale and zero point.
 *
 * @example
 * ```ts
 * import { INT8_OP_TYPES } from "@quantkit/onnx";
 * INT8_OP_TYPES.includes("Add"); // true
 * ```
 */
export const INT8_OP_TYPES: readonly string[] = Object.freeze(Object.keys(_KINDS));

/**
 * The op types {@link quantizeStatic} quantizes by default: all of {@link INT8_OP_TYPES} but Add, Mul and
 * Softmax. The data movers are exact and the pools, Sigmoid and Concat changed no agreement measured; Add
 * and Mul make paddle2onnx's hard-swish chains run as QLinearAdd / QLinearMul (the PP-OCR classifier
 * faster than with the weighted nodes alone) but each is one more requantization: on the PP-OCRv4
 * recogniser (64 calibration lines, min-max) the decoded texts equal to the float model's fall from
 * 97.5% to 94.9% of 236 lines, the exact CTC strings from 84.3% to 67.0%. Softmax would quantize
 * attention weights to 8 bits. Add them where they pay:
 * `opTypes: [...INT8_DEFAULT_OP_TYPES, "Add", "Mul"]`.
 *
 * @example
 * ```ts
 * import { INT8_DEFAULT_OP_TYPES } from "@quantkit/onnx";
 * const opTypes = [...INT8_DEFAULT_OP_TYPES, "Add", "Mul"]; // for quantizeStatic, e.g. a MobileNetV3
 * ```
 */
export const INT8_DEFAULT_OP_TYPES: readonly string[] = Object.freeze(
  INT8_OP_TYPES.filter((t) => t !== "Add" && t !== "Mul" && t !== "Softmax"),
);
