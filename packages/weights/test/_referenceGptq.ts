// A slow, literal translation of the reference's fasterquant loop (IST-DASLab/gptq, groupsize = blockSize,
// no act-order, dynamic groups), written with plain 2-D arrays, an explicit Gauss-Jordan inverse and an
// upper Cholesky of it; block parameters as ONNX Runtime's RTN (see ./_reference.ts).
import { refRoundHalfAway } from "./_reference";

const f32 = Math.fround;

function blockParams(vals: number[], bits: number): { scale: number; zp: number } {
  const qmax = 2 ** bits - 1;
  const lo = Math.min(0, ...vals);
  const hi = Math.max(0, ...vals);
  const scale = f32(f32(hi - lo) / qmax);
  const zp = scale === 0 ? 0 : Math.min(qmax, Math.max(0, refRoundHalfAway(f32(-f32(lo / scale)))));
  return { scale, zp };
}

export function refGptq(
  w: Float32Array,
  N: number,
  K: number,
  hessian: Float64Array,
  bits: number,
  groupSize: number,
  lazy: number,
  percDamp: number,
): { codes: number[]; scales: number[] } {
  const qmax = 2 ** bits - 1;
  const H: number[][] = Array.from({ length: K }, (_, i) => Array.from(hessian.subarray(i * K, (i + 1) * K)));
  let mean = 0;
  for (let i = 0; i < K; i++) mean += H[i]![i]! / K;
  for (let i = 0; i < K; i++) H[i]![i]! += percDamp * mean;
  // Gauss-Jordan inverse
  const A = H.map((row, i) => [...row, ...Array.from({ length: K }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < K; c++) {
    let p = c;
    for (let r = c + 1; r < K; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    const piv = A[c]![c]!;
    for (let j = 0; j < 2 * K; j++) A[c]![j]! /= piv;
    for (let r = 0; r < K; r++) {
      if (r === c) continue;
      const f = A[r]![c]!;
      for (let j = 0; j < 2 * K; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  const Hinv = A.map((row) => row.slice(K));
  // upper Cholesky: Hinv = U^T U
  const U: number[][] = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < K; i++) {
    let s = Hinv[i]![i]!;
    for (let k = 0; k < i; k++) s -= U[k]![i]! ** 2;
    U[i]![i] = Math.sqrt(s);
    for (let j = i + 1; j < K; j++) {
      let t = Hinv[i]![j]!;
      for (let k = 0; k < i; k++) t -= U[k]![i]! * U[k]![j]!;
      U[i]![j] = t / U[i]![i]!;
    }
  }
  const W: number[][] = Array.from({ length: N }, (_, n) => Array.from(w.subarray(n * K, (n + 1) * K)));
  const codes = new Array<number>(N * K).fill(0);
  const scales = new Array<number>(N * Math.ceil(K / groupSize)).fill(0);
  const params = Array.from({ length: N }, () => ({ scale: 0, zp: 0 }));
  for (let i1 = 0; i1 < K; i1 += lazy) {
    const i2 = Math.min(i1 + lazy, K);
    const W1 = W.map((row) => row.slice(i1, i2));
    const Err1 = W.map(() => new Array<number>(i2 - i1).fill(0));
    for (let i = 0; i < i2 - i1; i++) {
      const d = U[i1 + i]![i1 + i]!;
      for (let n = 0; n < N; n++) {
        if ((i1 + i) % groupSize === 0) {
          params[n] = blockParams(W[n]!.slice(i1 + i, i1 + i + groupSize).map(f32), bits);
          scales[n * Math.ceil(K / groupSize) + (i1 + i) / groupSize] = params[n]!.scale;
        }
        const { scale, zp } = params[n]!;
        const inv = scale === 0 ? 0 : f32(1 / scale);
        const x = W1[n]![i]!;
        const q = Math.min(qmax, Math.max(0, refRoundHalfAway(f32(f32(f32(x) * inv) + zp))));
        codes[n * K + i1 + i] = q;
        const err = (x - f32((q - zp) * scale)) / d;
        for (let j = i; j < i2 - i1; j++) W1[n]![j]! -= err * U[i1 + i]![i1 + j]!;
        Err1[n]![i] = err;
      }
    }
    for (let n = 0; n < N; n++) {
      for (let j = i2; j < K; j++) {
        let s = 0;
        for (let i = 0; i < i2 - i1; i++) s += Err1[n]![i]! * U[i1 + i]![j]!;
        W[n]![j]! -= s;
      }
    }
  }
  return { codes, scales };
}
