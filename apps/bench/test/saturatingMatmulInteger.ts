/**
 * A software model of onnxruntime's uint8 x int8 MatMulInteger on x86 CPUs without VNNI, for the tests
 * of the exactness records on a machine that has VNNI. MLAS (onnxruntime/core/mlas/lib/x86_64/
 * QgemmU8S8KernelAvx2.S) packs A with k padded to a multiple of 4 with zeros and multiplies 4 k's at a
 * time with `vpmaddubsw`, which adds the u8 x s8 products of k and k + 1 (k even) and saturates the pair
 * to int16, then `vpmaddwd` by ones into int32. The zero point of A never enters a product: MLAS adds
 * -aZeroPoint x colSum(B) afterwards, exactly. (packages/kernels/test/_saturatingPeer.ts is the same model
 * for the package's tests, with per-column zero points of B.)
 *
 * @example
 * saturatingMatmulInteger(Uint8Array.of(255, 255), Int8Array.of(127, 127), 1, 2, 1, 0); // Int32Array [32767]
 */
export function saturatingMatmulInteger(
  a: Uint8Array,
  b: Int8Array,
  m: number,
  k: number,
  n: number,
  aZeroPoint: number,
): Int32Array {
  const sat16 = (x: number) => Math.max(-32768, Math.min(32767, x));
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let colSum = 0;
      for (let p = 0; p < k; p += 2) {
        const second = p + 1 < k ? a[i * k + p + 1]! * b[(p + 1) * n + j]! : 0;
        acc += sat16(a[i * k + p]! * b[p * n + j]! + second);
      }
      for (let p = 0; p < k; p++) colSum += b[p * n + j]!;
      out[i * n + j] = acc - aZeroPoint * colSum;
    }
  }
  return out;
}
