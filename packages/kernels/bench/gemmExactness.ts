/**
 * The reference-GEMM check, one home for every GEMM benchmark (this package's benchGemm, apps/bench's
 * kernels and kernels-gpu suites) and the peer tests: each int8 GEMM timed (ours and onnxruntime's) is
 * compared, output by output, with MatMulInteger from its definition in plain loops on the same
 * operands. Sums of (a - aZeroPoint) b are exact in a double (|sum| <= k x 255 x 128, far below 2^53),
 * then wrapped to int32 as ONNX's output is.
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

/** What {@link compareOutputs} measures of an implementation's outputs against the reference's. */
export interface OutputComparison {
  /** Every output equal. */
  equal: boolean;
  /** Outputs compared. */
  outputs: number;
  /** Outputs that differ. */
  differing: number;
  /** Largest |theirs - reference|, 0 when equal. */
  maxAbsDiff: number;
  /** Index of the first differing output, -1 when equal (for an error message). */
  first: number;
}

/**
 * ONNX MatMulInteger of uint8 A [m, k] (zero point aZeroPoint) by int8 B [k, n] (zero point 0), in
 * plain loops.
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

/**
 * Compares `theirs` with `reference` output by output; throws a RangeError when their lengths differ.
 *
 * @example
 * compareOutputs(Int32Array.of(1, 5, 3), Int32Array.of(1, 2, 3));
 * // { equal: false, outputs: 3, differing: 1, maxAbsDiff: 3, first: 1 }
 */
export function compareOutputs(theirs: ArrayLike<number>, reference: ArrayLike<number>): OutputComparison {
  if (theirs.length !== reference.length) {
    throw new RangeError(`theirs has ${theirs.length} outputs, the reference ${reference.length}`);
  }
  let differing = 0;
  let maxAbsDiff = 0;
  let first = -1;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(theirs[i]! - reference[i]!);
    if (d === 0) continue;
    if (first < 0) first = i;
    differing++;
    if (d > maxAbsDiff) maxAbsDiff = d;
  }
  return { equal: differing === 0, outputs: reference.length, differing, maxAbsDiff, first };
}
