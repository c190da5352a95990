/**
 * The upper-triangular U with U^T U = A^-1 for a symmetric positive definite A (K x K, row-major, float64):
 * what GPTQ gets from cholesky(cholesky_inverse(cholesky(A)), upper=True), in two steps instead of three.
 * With P the reversal permutation, chol(P A P) = L gives A = R R^T, R = P L P upper; then
 * A^-1 = R^-T R^-1 = U^T U with U = R^-1 = P L^-1 P. Returns null when a pivot is not above
 * 1e-12 x max(diag A) (A not numerically positive definite).
 */
export function _upperCholeskyOfInverse(a: Float64Array, K: number): Float64Array | null {
  // L = lower Cholesky of the reversed matrix, row by row (Cholesky-Banachiewicz).
  const L = new Float64Array(K * K);
  let maxDiag = 0;
  for (let i = 0; i < K; i++) maxDiag = Math.max(maxDiag, a[i * K + i]!);
  const tol = 1e-12 * maxDiag;
  for (let i = 0; i < K; i++) {
    const ri = i * K;
    const ai = (K - 1 - i) * K + (K - 1); // reversed row i of a, read backwards
    for (let j = 0; j <= i; j++) {
      const rj = j * K;
      let s = a[ai - j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (j === i) {
        if (!(s > tol)) return null;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  // X = L^-1 (lower), row by row: row i = -(1 / L_ii) sum_{k < i} L_ik X_k., X_ii = 1 / L_ii.
  const X = new Float64Array(K * K);
  const acc = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    acc.fill(0, 0, i);
    const ri = i * K;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const rk = k * K;
      for (let j = 0; j <= k; j++) acc[j]! += l * X[rk + j]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let j = 0; j < i; j++) X[ri + j] = -acc[j]! * inv;
    X[ri + i] = inv;
  }
  // U[i][j] = X[K-1-i][K-1-j] for j >= i.
  const U = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    const xr = (K - 1 - i) * K + (K - 1);
    for (let j = i; j < K; j++) U[i * K + j] = X[xr - j]!;
  }
  return U;
}
