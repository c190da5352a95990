import { float16 } from "@quantkit/numeric";
import { roundHalfAwayFromZero, roundHalfToEven } from "@quantkit/quantizers";
import type { BlockBits } from "./blockQuantized";

const f32 = Math.fround;

/** What every block-wise method shares: width, block size, symmetry, float16 scales. */
export interface _BlockSpec {
  readonly bits: BlockBits;
  readonly blockSize: number;
  readonly symmetric: boolean;
  readonly float16: boolean;
}

/**
 * ONNX Runtime's scale and zero point of one block (MLAS q4_dq.cpp, range2scalezp / range2scale), each
 * float32 step explicit. Writes out[0] = the scale as stored (a float16 value when `float16`),
 * out[1] = the zero point.
 * - asymmetric: the range is widened to hold 0; scale = (max - min) / (2^bits - 1);
 *   zero point = roundf(-min / scale) (half away from zero) clamped to 0..2^bits-1; 0 when scale is 0.
 * - symmetric: m = the value of largest magnitude WITH its sign (min on a tie |max| == |min|);
 *   scale = -m / 2^(bits-1) (so m maps to code 0, and -m to 2^bits, clipped to 2^bits - 1);
 *   zero point 2^(bits-1).
 */
export function _blockScaleZeroPoint(
  min: number,
  max: number,
  bits: BlockBits,
  symmetric: boolean,
  toFloat16: boolean,
  out: Float64Array,
): void {
  if (symmetric) {
    const m = Math.abs(max) > Math.abs(min) ? max : min;
    const scale = f32(-m / (1 << (bits - 1)));
    out[0] = toFloat16 ? float16.round(scale) : scale;
    out[1] = 1 << (bits - 1);
    return;
  }
  const qmax = (1 << bits) - 1;
  // std::min(min, 0.0f) and std::max(max, 0.0f), kept literal (they keep -0 where Math.min/max would not).
  // biome-ignore lint/complexity/useMathMinMax: C++ semantics on -0
  const lo = min > 0 ? 0 : min;
  // biome-ignore lint/complexity/useMathMinMax: C++ semantics on -0
  const hi = max < 0 ? 0 : max;
  const scale = f32(f32(hi - lo) / qmax);
  const zpf = scale !== 0 ? f32(0 - f32(lo / scale)) : lo;
  out[0] = toFloat16 ? float16.round(scale) : scale;
  out[1] = zpf < 0 ? 0 : zpf > qmax ? qmax : roundHalfAwayFromZero(zpf);
}

/** The reciprocal ONNX Runtime codes with: float32 1 / scale, 0 for a zero scale (either sign). */
export function _reciprocal(scale: number): number {
  return scale !== 0 ? f32(1 / scale) : 0;
}

/** One code: clamp(roundf(f32(f32(v * reciprocal) + zeroPoint)), 0, qmax), as MLAS computes it. */
export function _code(v: number, reciprocal: number, zeroPoint: number, qmax: number): number {
  const q = roundHalfAwayFromZero(f32(f32(v * reciprocal) + zeroPoint));
  return q < 0 ? 0 : Math.min(q, qmax);
}

/**
 * Which of ONNX Runtime's two round-to-nearest code paths: "mlas" (MatMul weights, MLAS
 * `MlasQuantizeBlockwise`: times the float32 reciprocal, ties away from zero) or "numpy" (Gather data,
 * `DefaultWeightOnlyQuantizer.quantize_ndarray`: divided by the scale, ties to even).
 */
export type _Arithmetic = "mlas" | "numpy";

/**
 * ONNX Runtime's Gather-path block (numpy `quant_slice_symmetric` / `quant_slice_asymmetric`, written for
 * 4 bits, here for any width): the scale as MLAS computes it (the same float32 steps); zero point
 * rint(f32(-lo / scale)) clamped; codes rint(f32(v / scale)) (+ zero point, in float32) clamped, ties to
 * even. A zero scale (an all-zero block) codes every value and the zero point as 2^(bits-1).
 */
function _numpyBlock(
  w: ArrayLike<number>,
  start: number,
  end: number,
  scale: number,
  symmetric: boolean,
  bits: BlockBits,
  min: number,
  codes: Uint8Array,
): number {
  const qmax = (1 << bits) - 1;
  const mid = 1 << (bits - 1);
  const clamp = (q: number) => (q < 0 ? 0 : Math.min(q, qmax));
  if (scale === 0) {
    codes.fill(mid, start, end);
    return mid;
  }
  if (symmetric) {
    // clip(rint(v / scale), -mid, mid - 1) stored with the offset mid: the same clamp on code + mid.
    for (let i = start; i < end; i++) codes[i] = clamp(roundHalfToEven(f32(w[i]! / scale)) + mid);
    return mid;
  }
  // biome-ignore lint/complexity/useMathMinMax: np.minimum(min, 0), kept literal
  const lo = min > 0 ? 0 : min;
  const zp = clamp(roundHalfToEven(f32(-lo / scale)));
  for (let i = start; i < end; i++) codes[i] = clamp(roundHalfToEven(f32(f32(w[i]! / scale) + zp)));
  return zp;
}

/**
 * Round-to-nearest of w [N, K] in blocks along K, ONNX Runtime's arithmetic (`arithmetic`: its MatMul
 * path by default, its Gather path with "numpy"). Writes codes [N, K], scales and zeroPoints [N, nBlocks].
 */
export function _rtn(
  w: ArrayLike<number>,
  N: number,
  K: number,
  spec: _BlockSpec,
  codes: Uint8Array,
  scales: Float32Array,
  zeroPoints: Uint8Array,
  arithmetic: _Arithmetic = "mlas",
): void {
  const { bits, blockSize, symmetric } = spec;
  const nBlocks = Math.ceil(K / blockSize);
  const qmax = (1 << bits) - 1;
  const sz = new Float64Array(2);
  for (let n = 0; n < N; n++) {
    const row = n * K;
    for (let b = 0; b < nBlocks; b++) {
      const start = row + b * blockSize;
      const end = Math.min(start + blockSize, row + K);
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = w[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      _blockScaleZeroPoint(min, max, bits, symmetric, spec.float16, sz);
      const scale = sz[0]!;
      scales[n * nBlocks + b] = scale;
      if (arithmetic === "numpy") {
        zeroPoints[n * nBlocks + b] = _numpyBlock(w, start, end, scale, symmetric, bits, min, codes);
        continue;
      }
      const zp = sz[1]!;
      zeroPoints[n * nBlocks + b] = zp;
      const r = _reciprocal(scale);
      for (let i = start; i < end; i++) codes[i] = _code(w[i]!, r, zp, qmax);
    }
  }
}

/** (code - zeroPoint) * scale in float32 for codes [N, K]; integer or float zero points. */
export function _dequantizeNK(
  codes: Uint8Array,
  scales: Float32Array,
  zeroPoints: Uint8Array | Float32Array,
  N: number,
  K: number,
  blockSize: number,
): Float32Array {
  const nBlocks = Math.ceil(K / blockSize);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      const s = scales[n * nBlocks + b]!;
      const z = zeroPoints[n * nBlocks + b]!;
      const start = n * K + b * blockSize;
      const end = Math.min(start + blockSize, n * K + K);
      for (let i = start; i < end; i++) out[i] = f32(f32(codes[i]! - z) * s);
    }
  }
  return out;
}
