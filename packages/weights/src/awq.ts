import { transpose2d } from "@quantkit/tensor";
import { _awqClip } from "./_awqClip";
import { _parseBlock } from "./_blockOptions";
import { _dequantizeNK, _rtn } from "./_ortBlock";
import { _checkBoolean, _checkCalibration, _checkMatrix, _checkNumber } from "./_validate";
import { _awqScaleSearch, _SCALE_KEYS, type AwqScaleOptions } from "./awqScale";
import type { BlockQuantized } from "./blockQuantized";

/** AWQ's options on top of the block options and the scale search's (`nGrid`, `duoScaling`). */
export interface AwqOptions extends AwqScaleOptions {
  /**
   * Use this per-input-channel scale s [K] instead of searching one (e.g. from `awqScale` over the layers
   * that share this input, so that one Mul or one folded LayerNorm serves them all).
   */
  inputScale?: Float32Array;
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
  /** The chosen exponent of the scale search; null when `inputScale` was given. */
  readonly alpha: number | null;
  /** The layer-output MSE on the calibration rows for each alpha of the grid (empty with `inputScale`). */
  readonly losses: Float64Array;
  /** The clip factor chosen per block [N, nBlocks] (1: no clipping), or null without clip search. */
  readonly clipRatios: Float32Array | null;
}

const KEYS = [..._SCALE_KEYS, "inputScale", "clip", "clipGrid", "maxShrink", "clipSamples"] as const;

/**
 * AWQ (Lin et al. 2023; AutoAWQ `_search_best_scale` and `_compute_best_clip`, mit-han-lab/llm-awq
 * `auto_scale` and `auto_clip`) for one linear layer: the per-input-channel scale s of {@link awqScale}
 * (searched on this layer alone unless `inputScale` is given), then, per output channel and block, the
 * clipping range ±max|w| x (1 - i / clipGrid), i < maxShrink x clipGrid, of the SCALED weight W diag(s)
 * that minimises the block's own output error on (at most clipSamples of) the scaled inputs x / s; then
 * ONNX Runtime's RTN per block (`quantizeBlockwise`'s arithmetic). The returned codes quantize the scaled,
 * clipped weight: the caller folds 1/s into the previous op (`inputScale`); `equivalentWeight` is the
 * same layer for unscaled inputs. With nGrid 1, duoScaling false (alpha 0, s = 1) and clip false the
 * result equals `quantizeBlockwise`.
 *
 * @param calibration The layer's inputs x [rows, K].
 *
 * @example
 * import { awq } from "@quantkit/weights";
 * const q = awq(weight, [N, K], x, { bits: 4, blockSize: 32 });
 * q.alpha;            // e.g. 0.25
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
  const duoScaling = _checkBoolean(options.duoScaling ?? false, "duoScaling", fn);
  const clip = _checkBoolean(options.clip ?? true, "clip", fn);
  const clipGrid = _checkNumber(options.clipGrid ?? 20, "clipGrid", fn, 1, 1000, true);
  const maxShrink = _checkNumber(options.maxShrink ?? 0.5, "maxShrink", fn, 0, 1);
  const clipSamples = _checkNumber(options.clipSamples ?? 512, "clipSamples", fn, 1, 1 << 30, true);
  const { x, rows } = _checkCalibration(calibration, K, fn);
  let inputScale: Float32Array;
  let alpha: number | null = null;
  let losses: Float64Array = new Float64Array(0);
  if (options.inputScale !== undefined) {
    inputScale = _checkMatrix(options.inputScale, [1, K], "inputScale", fn).data;
    const bad = inputScale.findIndex((v) => !(v > 0));
    if (bad >= 0) throw new RangeError(`${fn}: inputScale[${bad}] must be positive, got ${inputScale[bad]}`);
  } else {
    const r = _awqScaleSearch([{ w, N }], K, x, rows, spec, nGrid, duoScaling);
    inputScale = r.inputScale;
    alpha = r.alpha;
    losses = r.losses;
  }
  const { blockSize } = spec;
  const nBlocks = Math.ceil(K / blockSize);
  const scaled = new Float32Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) scaled[n * K + k] = w[n * K + k]! * inputScale[k]!;

  // Clip search on the scaled weight and the scaled inputs.
  let clipRatios: Float32Array | null = null;
  if (clip) {
    const stride = Math.max(1, Math.floor(rows / clipSamples));
    const T = Math.ceil(rows / stride);
    const xs = new Float32Array(T * K);
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++) xs[t * K + k] = x[t * stride * K + k]! / inputScale[k]!;
    clipRatios = _awqClip(scaled, N, K, xs, T, spec, clipGrid, maxShrink);
  }
  const codes = new Uint8Array(N * K);
  const scales = new Float32Array(N * nBlocks);
  const zeroPoints = new Uint8Array(N * nBlocks);
  _rtn(scaled, N, K, spec, codes, scales, zeroPoints);
  const deq = _dequantizeNK(codes, scales, zeroPoints, N, K, blockSize);
  const equivalent = new Float32Array(N * K);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) equivalent[n * K + k] = deq[n * K + k]! / inputScale[k]!;
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
    dequantized: layout === "NK" ? deq : transpose2d(deq, N, K),
    inputScale: Float32Array.from(inputScale),
    equivalentWeight: layout === "NK" ? equivalent : transpose2d(equivalent, N, K),
    alpha,
    losses,
    clipRatios,
  };
}
