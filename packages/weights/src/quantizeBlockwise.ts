import { transpose2d } from "@quantkit/tensor";
import { _parseBlock, type BlockOptions } from "./_blockOptions";
import { _dequantizeNK, _rtn } from "./_ortBlock";
import type { BlockQuantized } from "./blockQuantized";

/** Options of {@link quantizeBlockwise}: the block options and which of ONNX Runtime's code paths. */
export interface QuantizeBlockwiseOptions extends BlockOptions {
  /**
   * "mlas" (default): ONNX Runtime's MatMul weights (`MlasQuantizeBlockwise`: times the float32 reciprocal
   * of the scale, ties away from zero). "numpy": its Gather data (embeddings; the quantizer's
   * `quantize_ndarray`: divided by the scale, ties to even; an all-zero block codes its zero point as
   * 2^(bits-1)). The scales are the same; a few codes at ties differ.
   */
  arithmetic?: "mlas" | "numpy";
}

/**
 * Round-to-nearest block-wise quantization of a weight matrix, equal bit for bit to ONNX Runtime's
 * MatMulNBits quantizer (`MatMulNBitsQuantizer` default algorithm, MLAS `MlasQuantizeBlockwise`): per output
 * channel, blocks of `blockSize` consecutive inputs (along K), float32 arithmetic step by step, `roundf`
 * (ties away from zero). Asymmetric blocks widen their range to hold 0 and take an integer zero point;
 * symmetric blocks divide the value of largest magnitude, sign included, by -2^(bits-1) and use zero
 * point 2^(bits-1). With float16 scales, codes are computed from the float16 scale (as ONNX Runtime does
 * for float16 weights). A short last block (K not a multiple of blockSize) uses only its real values.
 * With `arithmetic: "numpy"`, the codes of ONNX Runtime's Gather (embedding) path instead, for
 * `com.microsoft.GatherBlockQuantized` (see {@link packGatherBlockQuantized}).
 *
 * @param weight Float32Array [N, K] (default) or [K, N] with `layout: "KN"`.
 * @param shape The shape of `weight` as laid out.
 *
 * @example
 * import { quantizeBlockwise } from "@quantkit/weights";
 * const w = new Float32Array(16).map((_, k) => k - 4); // one output, K = 16: -4..11
 * const q = quantizeBlockwise(w, [1, 16], { bits: 4, blockSize: 16 });
 * q.scales     // Float32Array [1]        ((11 - -4) / 15)
 * q.zeroPoints // Uint8Array [4]
 * q.codes      // Uint8Array [0, 1, ..., 15]
 * // An embedding table [V, D] = [2, 16], blocks along D, as ONNX Runtime's Gather path codes it:
 * quantizeBlockwise(new Float32Array(32).fill(0.5), [2, 16], { blockSize: 16, arithmetic: "numpy" }).codes[0] // 15
 */
export function quantizeBlockwise(
  weight: Float32Array,
  shape: readonly [number, number],
  options: QuantizeBlockwiseOptions = {},
): BlockQuantized {
  const fn = "quantizeBlockwise";
  const { N, K, w, spec, layout, scaleType } = _parseBlock(weight, shape, options, ["arithmetic"], fn);
  const arithmetic = options.arithmetic ?? "mlas";
  if (arithmetic !== "mlas" && arithmetic !== "numpy") {
    throw new TypeError(`${fn}: arithmetic must be "mlas" or "numpy", got ${JSON.stringify(arithmetic)}`);
  }
  const nBlocks = Math.ceil(K / spec.blockSize);
  const codes = new Uint8Array(N * K);
  const scales = new Float32Array(N * nBlocks);
  const zeroPoints = new Uint8Array(N * nBlocks);
  _rtn(w, N, K, spec, codes, scales, zeroPoints, arithmetic);
  const deq = _dequantizeNK(codes, scales, zeroPoints, N, K, spec.blockSize);
  return {
    bits: spec.bits,
    blockSize: spec.blockSize,
    symmetric: spec.symmetric,
    scaleType,
    N,
    K,
    nBlocks,
    codes,
    scales,
    zeroPoints,
    layout,
    dequantized: layout === "NK" ? deq : transpose2d(deq, N, K),
  };
}
