// Slow references written from the descriptions (ONNX Runtime's MatMulNBits quantizer, its packed
// layout), sharing no code with src/: plain loops, one block at a time.
import { float16 } from "@quantkit/numeric";

const f32 = Math.fround;

/** C's roundf: ties away from zero, from floor(|t|). */
export function refRoundHalfAway(t: number): number {
  const a = Math.abs(t);
  const fl = Math.floor(a);
  const r = a - fl >= 0.5 ? fl + 1 : fl;
  return t < 0 ? -r : r;
}

export interface RefBlocks {
  codes: number[][]; // [N][K]
  scales: number[][]; // [N][nBlocks]
  zeroPoints: number[][]; // [N][nBlocks]
}

/** Round-to-nearest per block of w [N, K] as ONNX Runtime's MLAS quantizer does it. */
export function refRtn(
  w: Float32Array,
  N: number,
  K: number,
  bits: number,
  blockSize: number,
  symmetric: boolean,
  halfScales: boolean,
): RefBlocks {
  const qmax = 2 ** bits - 1;
  const out: RefBlocks = { codes: [], scales: [], zeroPoints: [] };
  for (let n = 0; n < N; n++) {
    const codes: number[] = [];
    const scales: number[] = [];
    const zps: number[] = [];
    for (let start = 0; start < K; start += blockSize) {
      const vals: number[] = [];
      for (let k = start; k < Math.min(K, start + blockSize); k++) vals.push(w[n * K + k]!);
      const mx = Math.max(...vals);
      const mn = Math.min(...vals);
      let scale: number;
      let zp: number;
      if (symmetric) {
        const signedBig = Math.abs(mx) > Math.abs(mn) ? mx : mn;
        scale = f32(-signedBig / 2 ** (bits - 1));
        zp = 2 ** (bits - 1);
      } else {
        const lo = Math.min(mn, 0);
        const hi = Math.max(mx, 0);
        scale = f32(f32(hi - lo) / qmax);
        zp = scale === 0 ? 0 : Math.min(qmax, Math.max(0, refRoundHalfAway(f32(-f32(lo / scale)))));
      }
      if (halfScales) scale = float16.round(scale);
      const inv = scale === 0 ? 0 : f32(1 / scale);
      for (const v of vals) codes.push(Math.min(qmax, Math.max(0, refRoundHalfAway(f32(f32(v * inv) + zp)))));
      scales.push(scale);
      zps.push(zp);
    }
    out.codes.push(codes);
    out.scales.push(scales);
    out.zeroPoints.push(zps);
  }
  return out;
}

/** MatMulNBits' B from codes [N][K]: each block padded with code 0 to blockSize, then packed low bits first. */
export function refPackB(codes: number[][], K: number, bits: number, blockSize: number): number[] {
  const bytes: number[] = [];
  const per = 8 / bits;
  for (const row of codes) {
    for (let start = 0; start < K; start += blockSize) {
      const block: number[] = [];
      for (let j = 0; j < blockSize; j++) block.push(start + j < K ? row[start + j]! : 0);
      for (let j = 0; j < blockSize; j += per) {
        let byte = 0;
        for (let f = 0; f < per; f++) byte += block[j + f]! * 2 ** (f * bits);
        bytes.push(byte);
      }
    }
  }
  return bytes;
}

/** y[m][n] = sum_k a[m][k] * wDeq[n][k], in float64. */
export function refMatmulNT(
  a: Float32Array,
  wNK: Float32Array,
  M: number,
  K: number,
  N: number,
): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[m * K + k]! * wNK[n * K + k]!;
      y[m * N + n] = s;
    }
  }
  return y;
}
