/**
 * mean over rows r and outputs n of (sum_k x[r, k] d[n, k])^2, float64: the layer-output MSE of a weight
 * error d [N, K] on inputs x [rows, K]. Blocks of 2 outputs x 4 rows: eight sums from six loads per k.
 */
export function _outputMse(x: Float32Array, rows: number, d: Float64Array, N: number, K: number): number {
  let total = 0;
  let n = 0;
  for (; n + 2 <= N; n += 2) {
    const da = n * K;
    const db = da + K;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const x0 = r * K;
      const x1 = x0 + K;
      const x2 = x1 + K;
      const x3 = x2 + K;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < K; k++) {
        const va = d[da + k]!;
        const vb = d[db + k]!;
        const u0 = x[x0 + k]!;
        const u1 = x[x1 + k]!;
        const u2 = x[x2 + k]!;
        const u3 = x[x3 + k]!;
        a0 += u0 * va;
        a1 += u1 * va;
        a2 += u2 * va;
        a3 += u3 * va;
        b0 += u0 * vb;
        b1 += u1 * vb;
        b2 += u2 * vb;
        b3 += u3 * vb;
      }
      total += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3;
    }
    for (; r < rows; r++) total += _dot(x, r * K, d, da, K) ** 2 + _dot(x, r * K, d, db, K) ** 2;
  }
  for (; n < N; n++) for (let r = 0; r < rows; r++) total += _dot(x, r * K, d, n * K, K) ** 2;
  return total / (rows * N);
}

/**
 * sum_k x[xo + k] d[dOff + k] in k order from 0. _linear passes (w, x) for (x, w): a product is the same either
 * way round, and the argument types stay (float32, float64) for both callers.
 */
function _dot(x: Float32Array, xo: number, d: Float64Array, dOff: number, K: number): number {
  let s = 0;
  for (let k = 0; k < K; k++) s += x[xo + k]! * d[dOff + k]!;
  return s;
}

/**
 * into[i, j] += sum_r x[r, i] x[r, j] for j >= i (the upper triangle of x^T x, [K, K] row-major, float64):
 * four rows at a time, so that each element of `into` is loaded and stored once per four rows; zero
 * inputs skip their row of products. Shared by GPTQ's Hessian and AWQ's Gram matrix.
 */
export function _addGramUpper(x: Float32Array, rows: number, K: number, into: Float64Array): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * K;
    const o1 = o0 + K;
    const o2 = o1 + K;
    const o3 = o2 + K;
    for (let i = 0; i < K; i++) {
      const a0 = x[o0 + i]!;
      const a1 = x[o1 + i]!;
      const a2 = x[o2 + i]!;
      const a3 = x[o3 + i]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const gi = i * K;
      for (let j = i; j < K; j++)
        into[gi + j]! += a0 * x[o0 + j]! + a1 * x[o1 + j]! + a2 * x[o2 + j]! + a3 * x[o3 + j]!;
    }
  }
  for (; r < rows; r++) {
    const o = r * K;
    for (let i = 0; i < K; i++) {
      const xi = x[o + i]!;
      if (xi === 0) continue;
      const gi = i * K;
      for (let j = i; j < K; j++) into[gi + j]! += xi * x[o + j]!;
    }
  }
}

/** G = x^T x / rows [K, K] (float64, symmetric, both halves filled): the inputs' second moments. */
export function _gram(x: Float32Array, rows: number, K: number): Float64Array {
  const g = new Float64Array(K * K);
  _addGramUpper(x, rows, K, g);
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      const v = g[i * K + j]! / rows;
      g[i * K + j] = v;
      g[j * K + i] = v;
    }
  }
  return g;
}

/**
 * mean over outputs n of d_n^T G d_n: {@link _outputMse} through the Gram matrix. Uses the symmetry
 * (G_ii d_i^2 + 2 d_i sum_{j>i} G_ij d_j) and two outputs per pass: N K^2 / 4 loads of G.
 */
export function _gramMse(g: Float64Array, d: Float64Array, N: number, K: number): number {
  let total = 0;
  let n = 0;
  for (; n + 2 <= N; n += 2) {
    const p = n * K;
    const q = p + K;
    for (let i = 0; i < K; i++) {
      const gi = i * K;
      const pi = d[p + i]!;
      const qi = d[q + i]!;
      let a = 0;
      let b = 0;
      for (let j = i + 1; j < K; j++) {
        const gij = g[gi + j]!;
        a += gij * d[p + j]!;
        b += gij * d[q + j]!;
      }
      const gii = g[gi + i]!;
      total += pi * (gii * pi + 2 * a) + qi * (gii * qi + 2 * b);
    }
  }
  for (; n < N; n++) {
    const p = n * K;
    for (let i = 0; i < K; i++) {
      const gi = i * K;
      const pi = d[p + i]!;
      let a = 0;
      for (let j = i + 1; j < K; j++) a += g[gi + j]! * d[p + j]!;
      total += pi * (g[gi + i]! * pi + 2 * a);
    }
  }
  return total / N;
}

/**
 * The layer-output MSE of a weight error d [N, K] on inputs x [rows, K] as a function of d: through the
 * Gram matrix when K < rows (N K^2 per call, after rows K^2 / 2 once), else directly (rows N K per call).
 * Returns the SUM over outputs (divide by the total N): callers add several weights sharing x.
 */
export function _outputSquaredError(
  x: Float32Array,
  rows: number,
  K: number,
): (d: Float64Array, N: number) => number {
  if (K < rows) {
    const g = _gram(x, rows, K);
    return (d, N) => _gramMse(g, d, N, K) * N;
  }
  return (d, N) => _outputMse(x, rows, d, N, K) * N;
}

/**
 * y [rows, N] = x [rows, K] w^T (+ bias [N]), w [N, K] row-major, float64 sums; blocks of 4 rows x 2
 * outputs (eight sums from six loads per k, as _outputMse). A float32 x is widened to float64 first (exact),
 * so that the loop below sees one array type only (a loop fed both stays polymorphic and runs slower).
 */
export function _linear(
  x: Float32Array | Float64Array,
  rows: number,
  K: number,
  w: Float32Array,
  N: number,
  bias: Float32Array | null,
): Float64Array {
  return _linear64(x instanceof Float64Array ? x : Float64Array.from(x), rows, K, w, N, bias);
}

function _linear64(
  x: Float64Array,
  rows: number,
  K: number,
  w: Float32Array,
  N: number,
  bias: Float32Array | null,
): Float64Array {
  const y = new Float64Array(rows * N);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * K;
    const x1 = x0 + K;
    const x2 = x1 + K;
    const x3 = x2 + K;
    let n = 0;
    for (; n + 2 <= N; n += 2) {
      const wa = n * K;
      const wb = wa + K;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < K; k++) {
        const va = w[wa + k]!;
        const vb = w[wb + k]!;
        const u0 = x[x0 + k]!;
        const u1 = x[x1 + k]!;
        const u2 = x[x2 + k]!;
        const u3 = x[x3 + k]!;
        a0 += u0 * va;
        a1 += u1 * va;
        a2 += u2 * va;
        a3 += u3 * va;
        b0 += u0 * vb;
        b1 += u1 * vb;
        b2 += u2 * vb;
        b3 += u3 * vb;
      }
      const ba = bias === null ? 0 : bias[n]!;
      const bb = bias === null ? 0 : bias[n + 1]!;
      y[r * N + n] = a0 + ba;
      y[(r + 1) * N + n] = a1 + ba;
      y[(r + 2) * N + n] = a2 + ba;
      y[(r + 3) * N + n] = a3 + ba;
      y[r * N + n + 1] = b0 + bb;
      y[(r + 1) * N + n + 1] = b1 + bb;
      y[(r + 2) * N + n + 1] = b2 + bb;
      y[(r + 3) * N + n + 1] = b3 + bb;
    }
    for (; n < N; n++)
      for (let i = r; i < r + 4; i++) y[i * N + n] = _dot(w, n * K, x, i * K, K) + (bias?.[n] ?? 0);
  }
  for (; r < rows; r++)
    for (let n = 0; n < N; n++) y[r * N + n] = _dot(w, n * K, x, r * K, K) + (bias?.[n] ?? 0);
  return y;
}
