/** The options of @quantkit/kernels' `matmulF32`, so that switching to it is a one-line change. */
export interface _MatmulF32Options {
  m: number;
  k: number;
  n: number;
  /** B is laid out [N, K] (a Linear weight) instead of [K, N]. */
  transB?: boolean;
  /** Length n, added to every row. */
  bias?: Float32Array;
  /** Where to write the [M, N] result (overwritten); allocated when absent. */
  out?: Float32Array;
}

/**
 * C[M, N] = A[M, K] x B (+ bias): every float GEMM of @quantkit/nn goes through this one function.
 * When @quantkit/kernels' `matmulF32` lands, its body becomes `return matmulF32(a, b, options)`.
 *
 * Sums are accumulated in float64 (JS numbers) and rounded to float32 once, on store.
 * NN form: row-axpy order (i, p, j) so both B and C stream contiguously; a zero A[i, p] (ReLU
 * outputs, masked gradients) skips its whole row of B. NT form: dot products of contiguous rows,
 * in 2x4 blocks of C.
 */
export function _matmulF32(a: Float32Array, b: Float32Array, options: _MatmulF32Options): Float32Array {
  const { m, k, n } = options;
  const out = options.out ?? new Float32Array(m * n);
  if (options.transB) gemmNT(a, b, m, k, n, out);
  else gemmNN(a, b, m, k, n, out);
  const bias = options.bias;
  if (bias !== undefined) {
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) out[row + j] = out[row + j]! + bias[j]!;
    }
  }
  return out;
}

let scratch = new Float64Array(1024);
let nonZero = new Int32Array(1024);

function gemmNN(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void {
  if (scratch.length < n) scratch = new Float64Array(n);
  if (nonZero.length < k) nonZero = new Int32Array(k);
  const acc = scratch;
  const nz = nonZero;
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    // The non-zero A[i, p] only: ReLU-masked gradients are about half zeros (measured on the seed MLP).
    let count = 0;
    for (let p = 0; p < k; p++) if (a[aRow + p] !== 0) nz[count++] = p;
    acc.fill(0, 0, n);
    let t = 0;
    // Four rows of B a pass: one load and store of the accumulator per four multiply-adds
    // (2.3x faster than one row a pass for the seed MLP's backward, measured).
    for (; t + 3 < count; t += 4) {
      const p0 = nz[t]!;
      const p1 = nz[t + 1]!;
      const p2 = nz[t + 2]!;
      const p3 = nz[t + 3]!;
      const a0 = a[aRow + p0]!;
      const a1 = a[aRow + p1]!;
      const a2 = a[aRow + p2]!;
      const a3 = a[aRow + p3]!;
      const b0 = p0 * n;
      const b1 = p1 * n;
      const b2 = p2 * n;
      const b3 = p3 * n;
      for (let j = 0; j < n; j++) {
        acc[j] = acc[j]! + a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
      }
    }
    for (; t < count; t++) {
      const p = nz[t]!;
      const ap = a[aRow + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + ap * b[bRow + j]!;
    }
    const cRow = i * n;
    for (let j = 0; j < n; j++) out[cRow + j] = acc[j]!;
  }
}

function gemmNT(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void {
  // A 2x4 block of C a pass: two rows of A against four rows of B, each loaded element used for two
  // or four multiply-adds (0.75 loads a multiply-add instead of 2 for a plain dot product; 1.6x faster
  // than a dot with four accumulators on the seed MLP's first layer, measured).
  const n4 = n - (n % 4);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    const c0 = i * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j < n4; j += 4) {
      const r0 = j * k;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const w0 = b[r0 + p]!;
        const w1 = b[r1 + p]!;
        const w2 = b[r2 + p]!;
        const w3 = b[r3 + p]!;
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      out[c0 + j] = s00;
      out[c0 + j + 1] = s01;
      out[c0 + j + 2] = s02;
      out[c0 + j + 3] = s03;
      out[c1 + j] = s10;
      out[c1 + j + 1] = s11;
      out[c1 + j + 2] = s12;
      out[c1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      const r0 = j * k;
      let s0 = 0;
      let s1 = 0;
      for (let p = 0; p < k; p++) {
        const w0 = b[r0 + p]!;
        s0 += a[a0 + p]! * w0;
        s1 += a[a1 + p]! * w0;
      }
      out[c0 + j] = s0;
      out[c1 + j] = s1;
    }
  }
  for (; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const r0 = j * k;
      let s0 = 0;
      for (let p = 0; p < k; p++) s0 += a[a0 + p]! * b[r0 + p]!;
      out[i * n + j] = s0;
    }
  }
}

/** out[c, r] = src[r, c] for a rows x cols matrix. */
export function _transpose(
  src: Float32Array,
  rows: number,
  cols: number,
  out = new Float32Array(rows * cols),
): Float32Array {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[row + c]!;
  }
  return out;
}

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
