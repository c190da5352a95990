import { transpose2d } from "@quantkit/tensor";
import { _BLOCK_KEYS, _parseBlock, type BlockOptions } from "./_blockOptions";
import { _outputSquaredError } from "./_matmul";
import { type _BlockSpec, _blockScaleZeroPoint, _code, _reciprocal } from "./_ortBlock";
import { _checkBoolean, _checkCalibration, _checkKeys, _checkNumber } from "./_validate";
import type { AwqModule } from "./attentionModule";

/** The scale search's options on top of the block options. */
export interface AwqScaleOptions extends BlockOptions {
  /** Grid of the exponent: alpha = i / nGrid for i = 0..nGrid-1 (default 20, the reference's n_grid). */
  nGrid?: number;
  /**
   * AutoAWQ's `duo_scaling`: s = mean|x|^alpha / (wMean^(1 - alpha) + 1e-4), where wMean is the
   * per-input-channel mean of |w| / max|w| of its block. Default false: s = mean|x|^alpha (llm-awq, and
   * AutoAWQ without duo scaling), which includes s = 1 (alpha 0) in the grid; AutoAWQ defaults to true, which
   * cost perplexity on the tiny-lm fixture (packages/onnx README).
   */
  duoScaling?: boolean;
}

/** `awqScale`'s options: the scale search's, and the block to measure the loss through. */
export interface AwqScaleSearchOptions extends AwqScaleOptions {
  /**
   * Measure each candidate scale by this block's output (AutoAWQ's `module2inspect`, e.g.
   * {@link attentionModule} for q, k and v) instead of the layers' own outputs: the MSE of its output with
   * the fake-quantized weights against its output with the float ones, on the calibration rows.
   */
  module?: AwqModule;
}

/** One weight matrix of the layers that share an input. */
export interface AwqLayer {
  /** [N, K] (default) or [K, N] with `layout: "KN"`. */
  readonly weight: Float32Array;
  /** The shape of `weight` as laid out. */
  readonly shape: readonly [number, number];
}

/** What the scale search found. */
export interface AwqScaleResult {
  /** s [K]: quantize W diag(s) and feed it x / s. */
  readonly inputScale: Float32Array;
  /** The chosen exponent. */
  readonly alpha: number;
  /**
   * For each alpha of the grid, the layers' output MSE on the calibration rows (all outputs together), or
   * the module's output MSE with `module`.
   */
  readonly losses: Float64Array;
  /** mean|x| per input channel [K]: where AWQ's gain comes from (a wide spread: outlier channels). */
  readonly activationMean: Float64Array;
}

export const _SCALE_KEYS = ["nGrid", "duoScaling"] as const;

/**
 * AWQ's scale search (mit-han-lab/llm-awq `auto_scale`, AutoAWQ `_search_best_scale`) for the linear
 * layers that read the same input (q, k and v after a LayerNorm; one layer alone works too): one
 * per-input-channel scale s = max(mean|x|^alpha, 1e-4) (with `duoScaling`, mean|x|^alpha divided by
 * wMean^(1 - alpha) + 1e-4, wMean over the layers' weights concatenated), normalised by sqrt(max(s) min(s)),
 * alpha on a grid of nGrid points in [0, 1), keeping the alpha whose Q(W diag(s)) diag(s)^-1 (ONNX
 * Runtime's RTN per block) gives the smallest output MSE of all the layers together on the calibration
 * inputs; with `module`, the smallest MSE of that block's output instead (AutoAWQ measures q, k and v
 * through the attention block, gate and up through the MLP).
 *
 * @param layers The weights that read x, all with the same K.
 * @param calibration Their input x [rows, K].
 *
 * @example
 * import { awq, awqScale } from "@quantkit/weights";
 * const { inputScale } = awqScale([{ weight: wq, shape: [N, K] }, { weight: wk, shape: [N, K] }], x);
 * const q = awq(wq, [N, K], x, { inputScale, clip: false }); // quantizes wq diag(s)
 */
export function awqScale(
  layers: readonly AwqLayer[],
  calibration: Float32Array,
  options: AwqScaleSearchOptions = {},
): AwqScaleResult {
  const fn = "awqScale";
  _checkKeys(options, [..._BLOCK_KEYS, ..._SCALE_KEYS, "module"], fn);
  const module = options.module ?? null;
  if (module !== null && (typeof module !== "object" || typeof module.forward !== "function"))
    throw new TypeError(
      `${fn}: module must be an object with forward(x, rows, weights), got ${String(module)}`,
    );
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new TypeError(
      `${fn}: layers must be a non-empty array of { weight, shape }, got ${String(layers)}`,
    );
  }
  const parsed = layers.map((l, i) => {
    if (l === null || typeof l !== "object")
      throw new TypeError(`${fn}: layers[${i}] must be { weight, shape }`);
    return _parseBlock(l.weight, l.shape, options, [..._SCALE_KEYS, "module"], `${fn}: layers[${i}]`);
  });
  const K = parsed[0]!.K;
  parsed.forEach((p, i) => {
    if (p.K !== K) throw new RangeError(`${fn}: layers[${i}] has K = ${p.K}, layers[0] has K = ${K}`);
  });
  const { x, rows } = _checkCalibration(calibration, K, fn);
  const r = _awqScaleSearch(
    parsed.map((p) => ({ w: p.w, N: p.N })),
    K,
    x,
    rows,
    parsed[0]!.spec,
    _checkNumber(options.nGrid ?? 20, "nGrid", fn, 1, 1000, true),
    _checkBoolean(options.duoScaling ?? false, "duoScaling", fn),
    module === null
      ? null
      : { module, originals: layers.map((l) => l.weight), kn: parsed[0]!.layout === "KN" },
  );
  return r;
}

/** The search on validated [N, K] weights; `awq` calls it too. */
export function _awqScaleSearch(
  weights: readonly { w: Float32Array; N: number }[],
  K: number,
  x: Float32Array,
  rows: number,
  spec: _BlockSpec,
  nGrid: number,
  duoScaling: boolean,
  through: { module: AwqModule; originals: readonly Float32Array[]; kn: boolean } | null = null,
): AwqScaleResult {
  const activationMean = new Float64Array(K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) activationMean[k]! += Math.abs(x[r * K + k]!);
  for (let k = 0; k < K; k++) activationMean[k]! /= rows;
  const wMean = duoScaling ? _weightMean(weights, K, spec.blockSize) : null;
  const error = through === null ? _outputSquaredError(x, rows, K) : null;
  const reference = through === null ? null : through.module.forward(x, rows, through.originals);
  const totalN = weights.reduce((s, l) => s + l.N, 0);
  const maxN = Math.max(...weights.map((l) => l.N));
  const diff = new Float64Array(maxN * K);
  const losses = new Float64Array(nGrid);
  const s = new Float32Array(K);
  const inputScale = new Float32Array(K).fill(1);
  let best = Number.POSITIVE_INFINITY;
  let alpha = 0;
  for (let i = 0; i < nGrid; i++) {
    const a = i / nGrid;
    _scales(activationMean, wMean, a, s);
    let loss = 0;
    if (through === null) {
      for (const { w, N } of weights) {
        const d = diff.subarray(0, N * K);
        _fakeQuantizeScaledError(w, s, N, K, spec, d);
        loss += error!(d, N);
      }
      loss /= totalN;
    } else {
      const candidates = weights.map(({ w, N }) => {
        const d = diff.subarray(0, N * K);
        _fakeQuantizeScaledError(w, s, N, K, spec, d);
        const q = Float32Array.from(w, (v, j) => v - d[j]!);
        return through.kn ? transpose2d(q, N, K) : q;
      });
      loss = _mse(reference!, through.module.forward(x, rows, candidates));
    }
    losses[i] = loss;
    if (loss < best) {
      best = loss;
      alpha = a;
      inputScale.set(s);
    }
  }
  return { inputScale, alpha, losses, activationMean };
}

function _mse(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`awqScale: module.forward gave ${b.length} values, then ${a.length}`);
  let e = 0;
  for (let i = 0; i < a.length; i++) e += (a[i]! - b[i]!) ** 2;
  return e / a.length;
}

/** AutoAWQ's w_mean: per input channel, the mean over all outputs of |w| / (max|w| of its block + 1e-6). */
function _weightMean(
  weights: readonly { w: Float32Array; N: number }[],
  K: number,
  blockSize: number,
): Float64Array {
  const mean = new Float64Array(K);
  let total = 0;
  for (const { w, N } of weights) {
    total += N;
    for (let n = 0; n < N; n++) {
      const row = n * K;
      for (let k0 = 0; k0 < K; k0 += blockSize) {
        const end = Math.min(k0 + blockSize, K);
        let max = 0;
        for (let k = k0; k < end; k++) max = Math.max(max, Math.abs(w[row + k]!));
        const inv = 1 / (max + 1e-6);
        for (let k = k0; k < end; k++) mean[k]! += Math.abs(w[row + k]!) * inv;
      }
    }
  }
  for (let k = 0; k < K; k++) mean[k]! /= total;
  return mean;
}

/**
 * s = max(xMean^alpha [/ (wMean^(1-alpha) + 1e-4)], 1e-4), then s / sqrt(max(s) min(s)), float32 as the
 * reference's tensors; a non-finite s becomes 1 (the reference's guard).
 */
function _scales(xMean: Float64Array, wMean: Float64Array | null, alpha: number, out: Float32Array): void {
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let k = 0; k < xMean.length; k++) {
    let v = xMean[k]! ** alpha;
    if (wMean !== null) v /= wMean[k]! ** (1 - alpha) + 1e-4;
    v = Math.fround(Math.max(v, 1e-4));
    out[k] = v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const norm = Math.fround(Math.sqrt(Math.fround(max * min)));
  for (let k = 0; k < out.length; k++) {
    const v = Math.fround(out[k]! / norm);
    out[k] = Number.isFinite(v) ? v : 1;
  }
}

/** diff = W - Q(W diag(s)) diag(s)^-1, ONNX Runtime's RTN per block, for one candidate s. */
function _fakeQuantizeScaledError(
  w: Float32Array,
  s: Float32Array,
  N: number,
  K: number,
  spec: _BlockSpec,
  diff: Float64Array,
): void {
  const { bits, blockSize, symmetric } = spec;
  const qmax = (1 << bits) - 1;
  const sz = new Float64Array(2);
  for (let n = 0; n < N; n++) {
    const row = n * K;
    for (let k0 = 0; k0 < K; k0 += blockSize) {
      const end = Math.min(k0 + blockSize, K);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = k0; k < end; k++) {
        const v = Math.fround(w[row + k]! * s[k]!);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      _blockScaleZeroPoint(min, max, bits, symmetric, spec.float16, sz);
      const scale = sz[0]!;
      const zp = sz[1]!;
      const r = _reciprocal(scale);
      for (let k = k0; k < end; k++) {
        const v = Math.fround(w[row + k]! * s[k]!);
        const deq = Math.fround((_code(v, r, zp, qmax) - zp) * scale);
        diff[row + k] = w[row + k]! - deq / s[k]!;
      }
    }
  }
}
