import { Rng } from "@quantkit/tensor";

/**
 * Seeded correlated activations, rows x K: each row = per-channel scale (lognormal, a few outlier
 * channels) x (a rank-`rank` mixture of shared factors + independent noise). `sample(rows)` draws more rows
 * of the same distribution (for held-out checks).
 */
export function correlatedActivations(seed: number, K: number, rank = 16, noise = 0.5) {
  const rng = new Rng(seed);
  const mix = Float64Array.from({ length: rank * K }, () => rng.normal(0, 1 / Math.sqrt(rank)));
  const channel = Float64Array.from({ length: K }, () => Math.exp(rng.normal(0, 0.75)));
  const z = new Float64Array(rank);
  return {
    sample(rows: number): Float32Array {
      const x = new Float32Array(rows * K);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < rank; j++) z[j] = rng.normal(0, 1);
        for (let k = 0; k < K; k++) {
          let s = noise * rng.normal(0, 1);
          for (let j = 0; j < rank; j++) s += z[j]! * mix[j * K + k]!;
          x[i * K + k] = s * channel[k]!;
        }
      }
      return x;
    },
  };
}

/** mean over rows and outputs of (x (w - wq)^T)^2, float64; w and wq [N, K]. */
export function outputMse(x: Float32Array, w: Float32Array, wq: Float32Array, N: number, K: number): number {
  const rows = x.length / K;
  const d = Float64Array.from(w, (v, i) => v - wq[i]!);
  let s = 0;
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < N; n++) {
      let y = 0;
      for (let k = 0; k < K; k++) y += x[r * K + k]! * d[n * K + k]!;
      s += y * y;
    }
  }
  return s / (rows * N);
}
