const fround = Math.fround;

/** Number of 4-column panels for n columns. */
export function _panels4(n: number): number {
  return (n + 3) >> 2;
}

/**
 * Packs f32 B for {@link _gemmF32Js}: panels of 4 columns, per k the 4 values. `b` is [K, N] (element
 * (kk, j) at bOff + kk * ldb + j) or, with transB, [N, K] (at bOff + j * ldb + kk). Columns past n
 * pack to +0.
 */
export function _packF32B(
  b: Float32Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  k: number,
  n: number,
  out?: Float32Array,
): Float32Array {
  const panels = _panels4(n);
  const packed = out ?? new Float32Array(panels * k * 4);
  const full = n >> 2;
  if (!transB) {
    // Row by row: contiguous reads, four contiguous writes per panel.
    for (let kk = 0; kk < k; kk++) {
      const row = bOff + kk * ldb;
      for (let jp = 0; jp < full; jp++) {
        const r = row + jp * 4;
        const p = (jp * k + kk) * 4;
        packed[p] = b[r]!;
        packed[p + 1] = b[r + 1]!;
        packed[p + 2] = b[r + 2]!;
        packed[p + 3] = b[r + 3]!;
      }
      if (full < panels) {
        const p = (full * k + kk) * 4;
        for (let c = 0; c < 4; c++) packed[p + c] = full * 4 + c < n ? b[row + full * 4 + c]! : 0;
      }
    }
  } else {
    if (full < panels) packed.fill(0, full * k * 4);
    for (let j = 0; j < n; j++) {
      const row = bOff + j * ldb;
      let p = (j >> 2) * k * 4 + (j & 3);
      for (let kk = 0; kk < k; kk++, p += 4) packed[p] = b[row + kk]!;
    }
  }
  return packed;
}

function storeRow(
  out: Float32Array,
  o: number,
  valid: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  if (valid === 4) {
    out[o] = v0;
    out[o + 1] = v1;
    out[o + 2] = v2;
    out[o + 3] = v3;
    return;
  }
  out[o] = v0;
  if (valid > 1) out[o + 1] = v1;
  if (valid > 2) out[o + 2] = v2;
}

/**
 * The plain-JS fp32 GEMM: C[m, n] = A[m, k] B for A at aOff + i * lda + kk and B packed by
 * {@link _packF32B}, in 4 x 4 register tiles. Every product and every sum is rounded to float32
 * (Math.fround) in k order from +0, which is exactly what the WebAssembly f32x4 path computes, so the
 * two give identical bits (double rounding is innocuous for a float32 add or multiply done in float64).
 * V8 keeps these values as float64 and converts around each fround (measured: about half the speed of
 * the same loop in float64); that is the price of bit-identical fp32 in JS. m, n, k >= 1.
 */
export function _gemmF32Js(
  a: Float32Array,
  aOff: number,
  lda: number,
  m: number,
  k: number,
  packed: Float32Array,
  n: number,
  out: Float32Array,
  outOff: number,
  ldo: number,
): void {
  const panels = _panels4(n);
  for (let jp = 0; jp < panels; jp++) {
    const j = jp * 4;
    const valid = Math.min(4, n - j);
    const pStart = jp * k * 4;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let c00 = 0;
      let c01 = 0;
      let c02 = 0;
      let c03 = 0;
      let c10 = 0;
      let c11 = 0;
      let c12 = 0;
      let c13 = 0;
      let c20 = 0;
      let c21 = 0;
      let c22 = 0;
      let c23 = 0;
      let c30 = 0;
      let c31 = 0;
      let c32 = 0;
      let c33 = 0;
      let a0 = aOff + i * lda;
      const end = a0 + k;
      const d1 = lda;
      const d2 = 2 * lda;
      const d3 = 3 * lda;
      for (let p = pStart; a0 < end; a0++, p += 4) {
        const b0 = packed[p]!;
        const b1 = packed[p + 1]!;
        const b2 = packed[p + 2]!;
        const b3 = packed[p + 3]!;
        let x = a[a0]!;
        c00 = fround(c00 + fround(x * b0));
        c01 = fround(c01 + fround(x * b1));
        c02 = fround(c02 + fround(x * b2));
        c03 = fround(c03 + fround(x * b3));
        x = a[a0 + d1]!;
        c10 = fround(c10 + fround(x * b0));
        c11 = fround(c11 + fround(x * b1));
        c12 = fround(c12 + fround(x * b2));
        c13 = fround(c13 + fround(x * b3));
        x = a[a0 + d2]!;
        c20 = fround(c20 + fround(x * b0));
        c21 = fround(c21 + fround(x * b1));
        c22 = fround(c22 + fround(x * b2));
        c23 = fround(c23 + fround(x * b3));
        x = a[a0 + d3]!;
        c30 = fround(c30 + fround(x * b0));
        c31 = fround(c31 + fround(x * b1));
        c32 = fround(c32 + fround(x * b2));
        c33 = fround(c33 + fround(x * b3));
      }
      const o = outOff + i * ldo + j;
      storeRow(out, o, valid, c00, c01, c02, c03);
      storeRow(out, o + ldo, valid, c10, c11, c12, c13);
      storeRow(out, o + 2 * ldo, valid, c20, c21, c22, c23);
      storeRow(out, o + 3 * ldo, valid, c30, c31, c32, c33);
    }
    for (; i < m; i++) {
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      let a0 = aOff + i * lda;
      const end = a0 + k;
      for (let p = pStart; a0 < end; a0++, p += 4) {
        const x = a[a0]!;
        c0 = fround(c0 + fround(x * packed[p]!));
        c1 = fround(c1 + fround(x * packed[p + 1]!));
        c2 = fround(c2 + fround(x * packed[p + 2]!));
        c3 = fround(c3 + fround(x * packed[p + 3]!));
      }
      storeRow(out, outOff + i * ldo + j, valid, c0, c1, c2, c3);
    }
  }
}

/** Adds bias to C [m, n] (row stride ldo): bias[j] per column, or bias[i] per row with byRow. fround(acc + bias). */
export function _addBiasF32Js(
  out: Float32Array,
  outOff: number,
  ldo: number,
  m: number,
  n: number,
  bias: Float32Array,
  byRow: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const o = outOff + i * ldo;
    if (byRow) {
      const b = bias[i]!;
      for (let j = 0; j < n; j++) out[o + j] = fround(out[o + j]! + b);
    } else {
      for (let j = 0; j < n; j++) out[o + j] = fround(out[o + j]! + bias[j]!);
    }
  }
}
