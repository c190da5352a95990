/**
 * mean over rows r and outputs n of (sum_k x[r, k] d[n, k])^2, float64: the layer-output MSE of a weight
 * error d [N, K] on inputs x [rows, K]. Four rows of x per pass over a row of d.
 */
export function _outputMse(x: Float32Array, rows: number, d: Float64Array, N: number, K: number): number {
  let total = 0;
  for (let n = 0; n < N; n++) {
    const dn = n * K;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const x0 = r * K;
      const x1 = x0 + K;
      const x2 = x1 + K;
      const x3 = x2 + K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const v = d[dn + k]!;
        s0 += x[x0 + k]! * v;
        s1 += x[x1 + k]! * v;
        s2 += x[x2 + k]! * v;
        s3 += x[x3 + k]! * v;
      }
      total += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
    }
    for (; r < rows; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[r * K + k]! * d[dn + k]!;
      total += s * s;
    }
  }
  return total / (rows * N);
}
