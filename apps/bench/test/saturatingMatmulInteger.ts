import { saturatingMatmulInteger as mlasAvx2Model } from "../../../packages/kernels/test/_saturatingPeer";

/**
 * onnxruntime's uint8 x int8 MatMulInteger on x86 CPUs without VNNI (pairs of products saturated to
 * int16 by `vpmaddubsw`), for the tests of the exactness records on a machine that has VNNI: the model
 * of packages/kernels/test/_saturatingPeer.ts with B's zero point 0, as the bench's GEMMs have it.
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
  return mlasAvx2Model(a, b, m, k, n, aZeroPoint, new Int32Array(n));
}
