import { float16 } from "@quantkit/numeric";
import { roundHalfToEven } from "@quantkit/quantizers";
import { transpose2d } from "@quantkit/tensor";
import { _parseBlock, type BlockOptions } from "./_blockOptions";
import { _dequantizeNK } from "./_ortBlock";
import { _checkBoolean, _checkNumber } from "./_validate";
import type { BlockQuantized } from "./blockQuantized";

/** HQQ's options (asymmetric blocks only: `symmetric` is not taken). */
export interface HqqOptions extends Omit<BlockOptions, "symmetric"> {
  /** p of the lp-norm (p < 1: sparsity-promoting), default 0.7. */
  lpNorm?: number;
  /** Initial beta of the half-quadratic split, default 10. */
  beta?: number;
  /** beta is multiplied by kappa every iteration, default 1.01. */
  kappa?: number;
  /** At most this many iterations, default 20. */
  iterations?: number;
  /** Stop at the first iteration whose mean |W - W_r| does not improve, default true. */
  earlyStop?: boolean;
  /**
   * Round the optimised zero points to integers 0..2^bits-1 (and recode): integer zero points that pack as
   * uint zero points and work with DequantizeLinear. Default false: float zero points (MatMulNBits takes
   * them unpacked, of A's type).
   */
  roundZeroPoint?: boolean;
}

/** HQQ's result: float zero points unless roundZeroPoint, and the optimisation's trace. */
export interface HqqResult<Z extends Float32Array | Uint8Array = Float32Array | Uint8Array>
  extends BlockQuantized<Z> {
  /** mean |W - W_r| at each iteration's zero points (the reference's `current_error`), in order. */
  readonly history: Float64Array;
  /** The iteration whose zero points are returned (the smallest error); 0 = the min-max start. */
  readonly bestIteration: number;
}

const KEYS = ["lpNorm", "beta", "kappa", "iterations", "earlyStop", "roundZeroPoint"] as const;

/**
 * HQQ, half-quadratic quantization (Badri & Shaji 2023; mobiusml/hqq `optimize_weights_proximal`, as ONNX
 * Runtime's HQQ quantizer runs it): data-free. Each block starts from min-max asymmetric parameters
 * (inverse scale qmax / (max - min), at most 2e4; 1 for a constant block; zero = -min x inverse scale, not
 * rounded), then alternates, for all blocks at once: W_q = clamp(round(W x invScale + zero)) (ties to even,
 * torch.round), W_r = (W_q - zero) / invScale, W_e = shrink_lp(W - W_r, beta) with
 * shrink(x) = sign(x) max(|x| - |x|^(p-1) / beta, 0) (|x| + 1e-8 inside the power, as ORT), and
 * zero = mean over the block of (W_q - (W - W_e) x invScale); beta *= kappa. The scale stays the min-max
 * one (the reference optimises only the zero point). Stops early when mean |W - W_r| does not improve
 * and returns the zero points of the smallest error (the reference returns the last update). Float64
 * throughout; scales stored as float32 or float16 (1 / invScale), zero points as float32 (float16 values
 * with float16 scales).
 *
 * @example
 * import { hqq } from "@quantkit/weights";
 * const q = hqq(weight, [N, K], { bits: 4, blockSize: 64 });
 * q.zeroPoints  // Float32Array [N, K / 64]: float zero points
 * q.history     // mean |W - W_r| per iteration, decreasing until the stop
 */
export function hqq(
  weight: Float32Array,
  shape: readonly [number, number],
  options: HqqOptions = {},
): HqqResult {
  const fn = "hqq";
  if (options !== null && typeof options === "object" && "symmetric" in options) {
    throw new TypeError(
      `${fn}: HQQ quantizes asymmetric blocks; symmetric is not an option (got ${String((options as { symmetric: unknown }).symmetric)})`,
    );
  }
  const { N, K, w, spec, layout, scaleType } = _parseBlock(weight, shape, options, KEYS, fn);
  const p = _checkNumber(options.lpNorm ?? 0.7, "lpNorm", fn, 0.01, 1);
  let beta = _checkNumber(options.beta ?? 10, "beta", fn, 1e-6, 1e12);
  const kappa = _checkNumber(options.kappa ?? 1.01, "kappa", fn, 1, 100);
  const iterations = _checkNumber(options.iterations ?? 20, "iterations", fn, 0, 10000, true);
  const earlyStop = _checkBoolean(options.earlyStop ?? true, "earlyStop", fn);
  const roundZeroPoint = _checkBoolean(options.roundZeroPoint ?? false, "roundZeroPoint", fn);
  const { bits, blockSize } = spec;
  const qmax = (1 << bits) - 1;
  const nBlocks = Math.ceil(K / blockSize);
  const total = N * K;

  const inv = new Float64Array(N * nBlocks); // inverse scales
  const zero = new Float64Array(N * nBlocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      const start = n * K + b * blockSize;
      const end = Math.min(start + blockSize, n * K + K);
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = w[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const range = max - min === 0 ? qmax : max - min;
      const s = Math.min(qmax / range, 2e4);
      inv[n * nBlocks + b] = s;
      zero[n * nBlocks + b] = -min * s;
    }
  }

  // shrink(x) is 0 whenever a (a + 1e-8)^(1-p) <= 1/beta, in particular when a + 1e-8 < beta^(-1/(2-p))
  // (then a (a + 1e-8)^(1-p) < (a + 1e-8)^(2-p) < 1/beta): most weights, which skips their Math.pow
  // (HQQ on 3072 x 768, W4 g32: 3.4 s -> 0.6 s of CPU, measured).
  let cut = 0;
  const shrink = (x: number, b: number): number => {
    const a = Math.abs(x);
    if (a + 1e-8 < cut) return 0;
    const t = a - (a + 1e-8) ** (p - 1) / b;
    return t > 0 ? (x < 0 ? -t : t) : 0;
  };
  const history: number[] = [];
  let best = Infinity;
  let bestIteration = 0;
  const bestZero = zero.slice();
  for (let it = 0; it < iterations; it++) {
    cut = beta ** (-1 / (2 - p));
    let absErr = 0;
    const next = new Float64Array(N * nBlocks);
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < nBlocks; b++) {
        const at = n * nBlocks + b;
        const s = inv[at]!;
        const z = zero[at]!;
        const start = n * K + b * blockSize;
        const end = Math.min(start + blockSize, n * K + K);
        let sum = 0;
        for (let i = start; i < end; i++) {
          const v = w[i]!;
          const q = Math.min(Math.max(roundHalfToEven(v * s + z), 0), qmax);
          const r = (q - z) / s;
          absErr += Math.abs(v - r);
          const e = shrink(v - r, beta);
          sum += q - (v - e) * s;
        }
        next[at] = sum / (end - start);
      }
    }
    beta *= kappa;
    const err = absErr / total;
    history.push(err);
    if (err < best) {
      best = err;
      bestIteration = it;
      bestZero.set(zero);
    } else if (earlyStop) {
      break;
    }
    zero.set(next);
  }
  if (iterations === 0) bestZero.set(zero);

  const codes = new Uint8Array(total);
  const scales = new Float32Array(N * nBlocks);
  const zf = new Float32Array(N * nBlocks);
  const zi = new Uint8Array(N * nBlocks);
  const half = spec.float16;
  for (let at = 0; at < N * nBlocks; at++) {
    const s = Math.fround(1 / inv[at]!);
    scales[at] = half ? float16.round(s) : s;
    let z = bestZero[at]!;
    if (roundZeroPoint) {
      z = Math.min(Math.max(roundHalfToEven(z), 0), qmax);
      zi[at] = z;
      bestZero[at] = z;
    } else {
      zf[at] = half ? float16.round(z) : z;
    }
  }
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      const at = n * nBlocks + b;
      const s = inv[at]!;
      const z = bestZero[at]!;
      const start = n * K + b * blockSize;
      const end = Math.min(start + blockSize, n * K + K);
      for (let i = start; i < end; i++)
        codes[i] = Math.min(Math.max(roundHalfToEven(w[i]! * s + z), 0), qmax);
    }
  }
  const zeroPoints = roundZeroPoint ? zi : zf;
  const deq = _dequantizeNK(codes, scales, zeroPoints, N, K, blockSize);
  return {
    bits,
    blockSize,
    symmetric: false,
    scaleType,
    N,
    K,
    nBlocks,
    codes,
    scales,
    zeroPoints,
    layout,
    dequantized: layout === "NK" ? deq : transpose2d(deq, N, K),
    history: Float64Array.from(history),
    bestIteration,
  };
}
