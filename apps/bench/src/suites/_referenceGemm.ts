/**
 * ONNX MatMulInteger from its definition, in plain loops: the ground truth the GEMM suites compare every
 * implementation with (ours and onnxruntime alike). Sums are exact in a double (|sum| <= k x 255 x 128,
 * far below 2^53 for any k here) and then wrapped to int32 as ONNX's int32 output is.
 *
 * @example
 * referenceMatmulInteger(Uint8Array.of(1, 2, 3, 4, 5, 6), Int8Array.of(1, -1, 2, 0, -3, 4), 2, 3, 2, 1);
 * // Int32Array [-4, 8, -4, 17]
 */
export function referenceMatmulInteger(
  a: Uint8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
): Int32Array {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (a[i * k + p]! - aZeroPoint) * b[p * n + j]!;
      out[i * n + j] = sum;
    }
  }
  return out;
}

/** What the records name as their reference. */
export const GEMM_REFERENCE = "plain-loop MatMulInteger of apps/bench (exact sums, wrapped to int32)";
