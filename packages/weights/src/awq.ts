import { _parseBlock, type BlockOptions } from "./_blockOptions";
import { _outputMse } from "./_matmul";
import { _blockScaleZeroPoint, _code, _dequantizeNK, _reciprocal, _rtn } from "./_ortBlock";
import { _checkBoolean, _checkMatrix, _checkNumber, _transpose } from "./_validate";
import type { BlockBits, BlockQuantized } from "./blockQuantized";

/** AWQ's options on top of the block options. */
export interface AwqOptions extends BlockOptions {
  /** Scale search grid: alpha = i / nGrid for i = 0..nGrid-1 (default 20, the reference's n_grid). */
  nGrid?: number;
  /** Search a clipping range per block after scaling (default true, the reference's auto_clip). */
  clip?: boolean;
  /** Clip grid: shrink factors 1 - i / clipGrid (default 20). */
  clipGrid?: number;
  /** The smallest clip factor tried is 1 - maxShrink (default 0.5). */
  maxShrink?: number;
  /** At most this many calibration rows in the clip search, evenly strided (default 512). */
  clipSamples?: number;
}

/** What AWQ returns on top of the blocked codes (which quantize the SCALED weight W diag(s)). */
export interface AwqResult extends BlockQuantized {
  /**
   * s [K]: the codes quantize W diag(s) (clipped). Feed x / s to them: fold 1/s into the previous op
   * (divide a LayerNorm's weight and bias, or the previous Linear's output rows, by s) or insert a Mul by 1/s.
   */
  readonly inputScale: Float32Array;
  /** The weight to use with unscaled inputs: dequantized / s per input column, in the input's layout. */
  readonly equivalentWeight: Float32Array;
  /** The chosen exponent (s = mean|x|^alpha, normalised). */
  readonly alpha: number;
  /** The layer-output MSE on the calibration rows for each alpha of the grid. */
  readonly losses: Float64Array;
  /** The clip factor chosen per block [N, nBlocks] (1: no clipping), or null without clip search. */
  readonly clipRatios: Float32Array | null;
}

const KEYS = ["nGrid", "clip", "clipGrid", "maxShrink", "clipSamples"] as const;

/**
 * AWQ (Lin et al. 2023; mit-han-lab/llm-awq `auto_scale` and `auto_clip`) for one linear layer: activation-aware
 * per-input-channel scaling, s = mean|x|^alpha normalised by sqrt(max(s) min(s)) (clamped at 1e-4), alpha
 * on a grid of nGrid points in [0, 1), choosing the alpha whose fake-quantized Q(W diag(s)) diag(s)^-1 gives the
 * smallest layer-output MSE on the calibration inputs; then, per block, the clipping range
 * max|w| x (1 - i / clipGrid) that minimises the block's own output error on (at most clipSamples of) the
 * scaled inputs x / s. Blocks are quantized with ONNX Runtime's RTN arithmetic (`quantizeBlockwise`).
 * The returned codes quantize the scaled, clipped weight: the caller folds 1/s into the previous op
 * (`inputScale`); `equivalentWeight` is the same layer for unscaled inputs. With nGrid 1 (alpha 0, s = 1)
 * and clip false the result equals `quantizeBlockwise`.
 *
 * @param calibration The layer's inputs x [rows, K].
 *
 * @example
 * import { awq } from "@quantkit/weights";
 * const q = awq(weight, [N, K], x, { bits: 4, blockSize: 32 });
 * q.alpha;            // e.g. 0.5
 * q.inputScale;       // Float32Array [K]: divide the layer's input by it (fold into the previous op)
 * q.equivalentWeight; // Float32Array [N, K] for x as it is
 */
export function awq(
  weight: Float32Array,
  shape: readonly [number, number],
  calibration: Float32Array,
  options: AwqOptions = {},
): AwqResult {
  const fn = "awq";
  const { N, K, w, spec, layout, scaleType } = _parseBlock(weight, shape, options, KEYS, fn);
  const nGrid = _checkNumber(options.nGrid ?? 20, "nGrid", fn, 1, 1000, true);
  const clip = _checkBoolean(options.clip ?? true, "clip", fn);
  const clipGrid = _checkNumber(options.clipGrid ?? 20, "clipGrid", fn, 1, 1000, true);
  const maxShrink = _checkNumber(options.maxShrink ?? 0.5, "maxShrink", fn, 0, 1);
  const clipSamples = _checkNumber(options.clipSamples ?? 512, "clipSamples", fn, 1, 1 << 30, true);
  if (!(calibration instanceof Float32Array)) {
    throw new TypeError(
      `${fn}: calibration inputs are required (a Float32Array [rows, K = ${K}]), got ${String(calibration)}`,
    );
  }
  if (calibration.length === 0 || calibration.length % K !== 0) {
    throw new RangeError(`${fn}: calibration has ${calibration.length} elements, not rows x K with K = ${K}`);
  }
  const rows = calibration.length / K;
  const x = _checkMatrix(calibration, [rows, K], "calibration", fn).data;
  const { blockSize } = spec;
  const nBlocks = Math.ceil(K / blockSize);

  const xMean = new Float64Array(K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) xMean[k]! += Math.abs(x[r * K + k]!);
  for (let k = 0; k < K; k++) xMean[k]! /= rows;

  // Scale search.
  const losses = new Float64Array(nGrid);
  const codes = new Uint8Array(N * K);
  const scales = new Float32Array(N * nBlocks);
  const zeroPoints = new Uint8Array(N * nBlocks);
  const scaled = new Float32Array(N * K);
  const diff = new Float64Array(N * K);
  const s = new Float32Array(K);
  let best = Infinity;
  let bestAlpha = 0;
  const bestS = new Float32Array(K);
  for (let i = 0; i < nGrid; i++) {
    const alpha = i / nGrid;
    _awqScales(xMean, alpha, s);
    _fakeQuantizeScaledError(w, s, N, K, spec, scaled, diff);
    const loss = _outputMse(x, rows, diff, N, K);
    losses[i] = loss;
    if (loss < best) {
      best = loss;
      bestAlpha = alpha;
      bestS.set(s);
    }
  }
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) scaled[n * K + k] = w[n * K + k]! * bestS[k]!;

  // Clip search on the scaled weight and the scaled inputs.
  let clipRatios: Float32Array | null = null;
  if (clip) {
    const stride = Math.max(1, Math.floor(rows / clipSamples));
    const T = Math.ceil(rows / stride);
    const xs = new Float32Array(T * K);
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++) xs[t * K + k] = x[t * stride * K + k]! / bestS[k]!;
    clipRatios = _clipSearch(scaled, N, K, xs, T, spec, clipGrid, maxShrink);
  }
  _rtn(scaled, N, K, spec, codes, scales, zeroPoints);
  const deq = _dequantizeNK(codes, scales, zeroPoints, N, K, blockSize);
  const equivalent = new Float32Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) equivalent[n * K + k] = deq[n * K + k]! / bestS[k]!;
  return {
    bits: spec.bits,
    blockSize,
    symmetric: spec.symmetric,
    scaleType,
    N,
    K,
    nBlocks,
    codes,
    scales,
    zeroPoints,
    layout,
    dequantized: layout === "NK" ? deq : _transpose(deq, N, K),
    inputScale: bestS,
    equivalentWeight: layout === "NK" ? equivalent : _transpose(equivalent, N, K),
    alpha: bestAlpha,
    losses,
    clipRatios,
  };
}

/**
 * diff = W - Q(W diag(s)) diag(s)^-1 for one alpha, ORT RTN per block, without materialising the codes
 * (the scale search runs it nGrid times). `scaled` is scratch [N, K].
 */
function _fakeQuantizeScaledError(
  w: Float32Array,
  s: Float32Array,
  N: number,
  K: number,
  spec: { bits: BlockBits; blockSize: number; symmetric: boolean; float16: boolean },
  scaled: Float32Array,
  diff: Float64Array,
): void {
  const { bits, blockSize, symmetric } = spec;
  const qmax = (1 << bits) - 1;
  const sz = new Float64Array(2);
  for (let n = 0; n < N; n++) {
    const row = n * K;
    for (let k0 = 0; k0 < K; k0 += blockSize) {
      const end = Math.min(k0 + blockSize, K);
      let min = Infinity;
      let max = -Infinity;
      for (let k = k0; k < end; k++) {
        const v = Math.fround(w[row + k]! * s[k]!);
        scaled[row + k] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      _blockScaleZeroPoint(min, max, bits, symmetric, spec.float16, sz);
      const scale = sz[0]!;
      const zp = sz[1]!;
      const r = _reciprocal(scale);
      for (let k = k0; k < end; k++) {
        const deq = Math.fround((_code(scaled[row + k]!, r, zp, qmax) - zp) * scale);
        diff[row + k] = w[row + k]! - deq / s[k]!;
      }
    }
  }
}

/** s = max(xMean^alpha, 1e-4), then s / sqrt(max(s) min(s)) (float32, as the reference's tensors). */
function _awqScales(xMean: Float64Array, alpha: number, out: Float32Array): void {
  let max = 0;
  let min = Infinity;
  for (let k = 0; k < xMean.length; k++) {
    const v = Math.fround(Math.max(xMean[k]! ** alpha, 1e-4));
    out[k] = v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const norm = Math.fround(Math.sqrt(Math.fround(max * min)));
  for (let k = 0; k < out.length; k++) out[k] = out[k]! / norm;
}

/**
 * The reference's auto_clip_layer: per block, clamps the weight to ±max|w| x (1 - i / clipGrid) for
 * i < maxShrink x clipGrid, quantizes the block (ORT RTN) and keeps the factor with the smallest mean over
 * rows of (x_block . (q - w))^2. Clamps `w` in place to the chosen range; returns the factors [N, nBlocks].
 * The error uses the block's Gram matrix x^T x when the block is shorter than the row count (fewer
 * multiply-adds), else the rows directly.
 */
function _clipSearch(
  w: Float32Array,
  N: number,
  K: number,
  x: Float32Array,
  T: number,
  spec: { bits: BlockBits; blockSize: number; symmetric: boolean; float16: boolean },
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
