/**
 * JS packers for the WebAssembly int16 layouts of scripts/wasmText.ts, used once per prepared layer
 * (the per-call packers run inside the module). Zero point 0: prepared weights are symmetric.
 */

/** W [n, k] (row stride ld) as the B operand (transB): panels of 8 rows of W, per k-pair 8 (w[2p], w[2p+1]). */
export function _packS16BTransposed(w: Int8Array, off: number, ld: number, k: number, n: number): Int16Array {
  const pairs = (k + 1) >> 1;
  const panels = (n + 7) >> 3;
  const out = new Int16Array(panels * pairs * 16);
  for (let jp = 0; jp < panels; jp++) {
    for (let c = 0; c < 8; c++) {
      const j = jp * 8 + c;
      if (j >= n) continue;
      const row = off + j * ld;
      for (let p = 0; p < pairs; p++) {
        const o = ((jp * pairs + p) * 8 + c) * 2;
        out[o] = w[row + 2 * p]!;
        if (2 * p + 1 < k) out[o + 1] = w[row + 2 * p + 1]!;
      }
    }
  }
  return out;
}

/** W [m, k] (row stride ld) as the A operand: panels of 4 rows, per k-pair 4 (w[2p], w[2p+1]). */
export function _packS16A(w: Int8Array, off: number, ld: number, m: number, k: number): Int16Array {
  const pairs = (k + 1) >> 1;
  const panels = (m + 3) >> 2;
  const out = new Int16Array(panels * pairs * 8);
  for (let ip = 0; ip < panels; ip++) {
    for (let r = 0; r < 4; r++) {
      const i = ip * 4 + r;
      if (i >= m) continue;
      const row = off + i * ld;
      for (let p = 0; p < pairs; p++) {
        const o = ((ip * pairs + p) * 4 + r) * 2;
        out[o] = w[row + 2 * p]!;
        if (2 * p + 1 < k) out[o + 1] = w[row + 2 * p + 1]!;
      }
    }
  }
  return out;
}
