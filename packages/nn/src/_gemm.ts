import { type MatmulF32Options, matmulF32 } from "@quantkit/kernels";

/**
 * C[M, N] = A[M, K] x B (+ bias): every float GEMM of @quantkit/nn goes through this one function,
 * which is @quantkit/kernels' `matmulF32` (WebAssembly SIMD where available, a JS path with the same
 * bits elsewhere): the same fp32 baseline that the int8 kernels are measured against.
 */
export function _matmulF32(a: Float32Array, b: Float32Array, options: MatmulF32Options): Float32Array {
  return matmulF32(a, b, options);
}

let nonZero = new Int32Array(1024);

/**
 * C[M, N] += A^T B for A [K, M] and B [K, N]: a weight gradient (dY^T X) added straight into `grad`,
 * without a transposed copy of dY, a temporary or a second pass (kernels' matmulF32 has no
 * accumulating form, so this stays here). A zero A[r, i] (a ReLU-masked gradient) skips its row of B.
 * Four rows of B a pass, summed in float64 and added to C once.
 */
export function _gemmAccumulateTN(
  a: Float32Array,
  b: Float32Array,
  k: number,
  m: number,
  n: number,
  c: Float32Array,
): void {
  if (nonZero.length < k) nonZero = new Int32Array(k);
  const nz = nonZero;
  for (let i = 0; i < m; i++) {
    let count = 0;
    for (let r = 0; r < k; r++) if (a[r * m + i] !== 0) nz[count++] = r;
    const cRow = i * n;
    let t = 0;
    for (; t + 3 < count; t += 4) {
      const r0 = nz[t]!;
      const r1 = nz[t + 1]!;
      const r2 = nz[t + 2]!;
      const r3 = nz[t + 3]!;
      const a0 = a[r0 * m + i]!;
      const a1 = a[r1 * m + i]!;
      const a2 = a[r2 * m + i]!;
      const a3 = a[r3 * m + i]!;
      const b0 = r0 * n;
      const b1 = r1 * n;
      const b2 = r2 * n;
      const b3 = r3 * n;
      for (let j = 0; j < n; j++) {
        c[cRow + j] = c[cRow + j]! + (a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!);
      }
    }
    for (; t < count; t++) {
      const r = nz[t]!;
      const ar = a[r * m + i]!;
      const bRow = r * n;
      for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j]! + ar * b[bRow + j]!;
    }
  }
}
