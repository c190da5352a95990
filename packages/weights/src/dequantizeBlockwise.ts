import { transpose2d } from "@quantkit/tensor";
import { _dequantizeNK } from "./_ortBlock";
import type { BlockQuantized } from "./blockQuantized";

/**
 * The float32 weight a block-quantized matrix stands for: (code - zeroPoint) * scale per element, in
 * `layout` (default: the layout the matrix was quantized from). This is what MatMulNBits computes with
 * before its matmul (float zero points: f32(code - zeroPoint) * scale).
 *
 * @example
 * import { dequantizeBlockwise, quantizeBlockwise } from "@quantkit/weights";
 * const q = quantizeBlockwise(new Float32Array(32).fill(0.5), [1, 32], { blockSize: 32 });
 * dequantizeBlockwise(q)[0] // 0.5
 */
export function dequantizeBlockwise(
  q: Pick<
    BlockQuantized<Uint8Array | Float32Array>,
    "codes" | "scales" | "zeroPoints" | "N" | "K" | "blockSize" | "layout"
  >,
  layout = q.layout,
): Float32Array {
  const nBlocks = Math.ceil(q.K / q.blockSize);
  if (
    q.codes.length !== q.N * q.K ||
    q.scales.length !== q.N * nBlocks ||
    q.zeroPoints.length !== q.N * nBlocks
  ) {
    throw new RangeError(
      `dequantizeBlockwise: codes (${q.codes.length}), scales (${q.scales.length}) and zeroPoints (${q.zeroPoints.length}) do not fit N = ${q.N}, K = ${q.K}, blockSize = ${q.blockSize}`,
    );
  }
  const deq = _dequantizeNK(q.codes, q.scales, q.zeroPoints, q.N, q.K, q.blockSize);
  return layout === "NK" ? deq : transpose2d(deq, q.N, q.K);
}
