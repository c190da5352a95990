/**
 * The benchmark's exactness check: every int8 GEMM it times (ours and onnxruntime's) against MatMulInteger
 * from its definition in plain loops, on the same operands. Sums of (a - aZeroPoint) b are exact in a
 * double (|sum| <= k x 255 x 128, far below 2^53), then wrapped to int32 as ONNX's output is.
 */

/** One int8 variant's output against the reference on one shape. */
export interface GemmBenchExactness {
  shape: string;
  impl: "quantkit" | "onnxruntime";
  backend: string;
  threads: number;
  /** Every output equal to the reference's. */
  equal: boolean;
  outputs: number;
  differing: number;
  /** Largest |output - reference|, 0 when equal. */
  maxAbsDiff: number;
}

/** ONNX MatMulInteger of uint8 A [m, k] (zero point aZeroPoint) by int8 B [k, n], in plain loops. */
export function _referenceMatmulInteger(
  a: Uint8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
): Int32Array {
  const out = new Int32Array(m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]! - aZeroPoint;
      for (let j = 0; j < n; j++) row[j]! += av * b[p * n + j]!;
    }
    out.set(row, i * n); // Int32Array stores wrap modulo 2^32
  }
  return out;
}

/** Counts the outputs of `theirs` that differ from `reference`, and the largest difference. */
export function _compare(
  theirs: Int32Array,
  reference: Int32Array,
): Pick<GemmBenchExactness, "equal" | "outputs" | "differing" | "maxAbsDiff"> {
  let differing = 0;
  let maxAbsDiff = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(theirs[i]! - reference[i]!);
    if (d > 0) differing++;
    if (d > maxAbsDiff) maxAbsDiff = d;
  }
  return { equal: differing === 0, outputs: reference.length, differing, maxAbsDiff };
}
