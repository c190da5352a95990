import type { _BlockSpec } from "./_ortBlock";
import { _blockScaleZeroPoint, _code, _reciprocal } from "./_ortBlock";

/**
 * The reference's auto_clip_layer: per block, clamps the weight to ±max|w| x (1 - i / clipGrid) for
 * i < maxShrink x clipGrid, quantizes the block (ORT RTN) and keeps the factor with the smallest mean over
 * rows of (x_block . (q - w))^2. Clamps `w` in place to the chosen range; returns the factors [N, nBlocks].
 * The error uses the block's Gram matrix x^T x when the block is shorter than the row count (fewer
 * multiply-adds), else the rows directly.
 */
export function _awqClip(
  w: Float32Array,
  N: number,
  K: number,
  x: Float32Array,
  T: number,
  spec: _BlockSpec,
  clipGrid: number,
  maxShrink: number,
): Float32Array {
  const { bits, blockSize, symmetric } = spec;
  const nBlocks = Math.ceil(K / blockSize);
  const qmax = (1 << bits) - 1;
  const steps = Math.floor(maxShrink * clipGrid);
  const ratios = new Float32Array(N * nBlocks).fill(1);
  const sz = new Float64Array(2);
  const delta = new Float64Array(blockSize);
  const clamped = new Float32Array(blockSize);
  for (let b = 0; b < nBlocks; b++) {
    const k0 = b * blockSize;
    const len = Math.min(blockSize, K - k0);
    const useGram = len < T;
    const gram = new Float64Array(useGram ? len * len : 0);
    if (useGram) {
      for (let t = 0; t < T; t++) {
        const o = t * K + k0;
        for (let i = 0; i < len; i++) {
          const xi = x[o + i]!;
          if (xi === 0) continue;
          for (let j = i; j < len; j++) gram[i * len + j]! += xi * x[o + j]!;
        }
      }
      for (let i = 0; i < len; i++) for (let j = 0; j < i; j++) gram[i * len + j] = gram[j * len + i]!;
    }
    for (let n = 0; n < N; n++) {
      const o = n * K + k0;
      let orgMax = 0;
      for (let i = 0; i < len; i++) orgMax = Math.max(orgMax, Math.abs(w[o + i]!));
      let bestErr = 1e9;
      let bestMax = orgMax;
      let bestRatio = 1;
      for (let step = 0; step < steps; step++) {
        const ratio = 1 - step / clipGrid;
        const maxVal = Math.fround(orgMax * ratio);
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < len; i++) {
          const v = Math.min(Math.max(w[o + i]!, -maxVal), maxVal);
          clamped[i] = v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        _blockScaleZeroPoint(min, max, bits, symmetric, spec.float16, sz);
        const scale = sz[0]!;
        const zp = sz[1]!;
        const r = _reciprocal(scale);
        for (let i = 0; i < len; i++) {
          const q = Math.fround((_code(clamped[i]!, r, zp, qmax) - zp) * scale);
          delta[i] = q - w[o + i]!;
        }
        let err = 0;
        if (useGram) {
          for (let i = 0; i < len; i++) {
            let acc = 0;
            for (let j = 0; j < len; j++) acc += gram[i * len + j]! * delta[j]!;
            err += delta[i]! * acc;
          }
          err /= T;
        } else {
          for (let t = 0; t < T; t++) {
            let y = 0;
            for (let i = 0; i < len; i++) y += x[t * K + k0 + i]! * delta[i]!;
            err += y * y;
          }
          err /= T;
        }
        if (err < bestErr) {
          bestErr = err;
          bestMax = maxVal;
          bestRatio = ratio;
        }
      }
      ratios[n * nBlocks + b] = bestRatio;
      for (let i = 0; i < len; i++) w[o + i] = Math.min(Math.max(w[o + i]!, -bestMax), bestMax);
    }
  }
  return ratios;
}
