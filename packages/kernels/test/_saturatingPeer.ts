/**
 * A software model of onnxruntime's uint8 x int8 MatMulInteger on x86 CPUs without VNNI, so that the
 * probe and the measurements of ./_peer.ts can be shown to catch it on a machine that has VNNI.
 *
 * From MLAS (onnxruntime/core/mlas/lib: qgemm_kernel_avx2.cpp, x86_64/QgemmU8S8KernelAvx2.S): A is packed
 * row by row with k padded to a multiple of 4 with zeros, B four k's per column; the kernel multiplies
 * with `vpmaddubsw` (u8 x s8 byte pairs (k, k + 1), k even, added and saturated to int16), then
 * `vpmaddwd` by ones into int32. The zero points never enter the products: MLAS adds
 * -bZeroPoint * rowSum(A) - aZeroPoint * colSum(B) + k * aZeroPoint * bZeroPoint afterwards, exactly.
 * The other dtype pairs take exact paths there (uint8 x uint8 widens to int16 and uses `vpmaddwd`; the
 * signed-A pairs use MLAS's portable int32 loops), so the model computes them exactly.
 */
import type { Int8Like } from "../src/index";
import { refMatmulInteger } from "./_reference";

const sat16 = (x: number) => Math.max(-32768, Math.min(32767, x));

/** vpmaddubsw then vpmaddwd: sum over even p of sat16(a[p] b[p] + a[p + 1] b[p + 1]), exact int32 sums. */
function _pairSaturatedDot(a: Int8Like, b: Int8Like, i: number, j: number, k: number, n: number): number {
  let acc = 0;
  for (let p = 0; p < k; p += 2) {
    const second = p + 1 < k ? a[i * k + p + 1]! * b[(p + 1) * n + j]! : 0; // the zero padding
    acc += sat16(a[i * k + p]! * b[p * n + j]! + second);
  }
  return acc;
}

/**
 * MatMulInteger as MLAS computes it on AVX2 without VNNI: saturating for uint8 x int8, exact otherwise.
 *
 * @example
 * // 255 x 127 twice: 64,770 exactly, 32,767 after vpmaddubsw.
 * saturatingMatmulInteger(new Uint8Array([255, 255]), new Int8Array([127, 127]), 1, 2, 1, 0, new Int32Array(1))
 * // Int32Array [32767]
 */
export function saturatingMatmulInteger(
  a: Int8Like,
  b: Int8Like,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
  bZeroPoint: Int32Array,
): Int32Array {
  if (!(a instanceof Uint8Array && b instanceof Int8Array)) {
    return refMatmulInteger(a, b, m, k, n, aZeroPoint, bZeroPoint);
  }
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    let rowSum = 0;
    for (let p = 0; p < k; p++) rowSum += a[i * k + p]!;
    for (let j = 0; j < n; j++) {
      let colSum = 0;
      for (let p = 0; p < k; p++) colSum += b[p * n + j]!;
      const zb = bZeroPoint[j]!;
      const y =
        BigInt(_pairSaturatedDot(a, b, i, j, k, n)) -
        BigInt(zb) * BigInt(rowSum) -
        BigInt(aZeroPoint) * BigInt(colSum) +
        BigInt(k) * BigInt(aZeroPoint) * BigInt(zb);
      out[i * n + j] = Number(BigInt.asIntN(32, y));
    }
  }
  return out;
}
