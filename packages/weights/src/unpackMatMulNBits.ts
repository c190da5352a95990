import { float16 } from "@quantkit/numeric";
import { _checkPackedBits } from "./_validate";
import type { WeightBits } from "./blockQuantized";

/**
 * Reads MatMulNBits' packed B, scales and (optional) zero points back into unpacked codes [N, K], scales
 * [N, nBlocks] and zero points [N, nBlocks] (2^(bits-1) when absent): the inverse of `packMatMulNBits`,
 * for a reader of existing q4 models. Float16 tensors come as Uint16Array bits.
 *
 * @example
 * import { packMatMulNBits, quantizeBlockwise, unpackMatMulNBits } from "@quantkit/weights";
 * const q = quantizeBlockwise(new Float32Array(32).map((_, i) => i), [1, 32], { blockSize: 32 });
 * const t = packMatMulNBits(q);
 * unpackMatMulNBits({ ...t.attributes, B: t.B.data, scales: t.scales.data, zeroPoints: t.zeroPoints?.data }).codes[31] // 15
 */
export function unpackMatMulNBits(tensors: {
  K: number;
  N: number;
  bits: number;
  block_size: number;
  B: Uint8Array;
  scales: Float32Array | Uint16Array;
  zeroPoints?: Uint8Array | Float32Array | Uint16Array | undefined;
}): {
  bits: WeightBits;
  blockSize: number;
  N: number;
  K: number;
  codes: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array | Float32Array;
} {
  const fn = "unpackMatMulNBits";
  const { K, N, block_size: blockSize } = tensors;
  const bits = _checkPackedBits(tensors.bits, "MatMulNBits", fn);
  const per = 8 / bits;
  const nBlocks = Math.ceil(K / blockSize);
  const blobSize = blockSize / per;
  if (tensors.B.length !== N * nBlocks * blobSize) {
    throw new RangeError(
      `${fn}: B has ${tensors.B.length} bytes; N = ${N}, K = ${K}, block_size = ${blockSize} need ${N * nBlocks * blobSize}`,
    );
  }
  if (tensors.scales.length !== N * nBlocks) {
    throw new RangeError(
      `${fn}: scales has ${tensors.scales.length} elements, expected N * nBlocks = ${N * nBlocks}`,
    );
  }
  const mask = (1 << bits) - 1;
  const codes = new Uint8Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const blk = (k / blockSize) | 0;
      const j = k - blk * blockSize;
      codes[n * K + k] =
        (tensors.B[(n * nBlocks + blk) * blobSize + ((j / per) | 0)]! >> ((j % per) * bits)) & mask;
    }
  }
  const scales =
    tensors.scales instanceof Uint16Array
      ? float16.decodeArray(tensors.scales)
      : Float32Array.from(tensors.scales);
  const zp = tensors.zeroPoints;
  let zeroPoints: Uint8Array | Float32Array;
  if (zp === undefined) {
    zeroPoints = new Uint8Array(N * nBlocks).fill(1 << (bits - 1));
  } else if (zp instanceof Uint8Array) {
    const zpBytes = Math.ceil((nBlocks * bits) / 8);
    if (zp.length !== N * zpBytes) {
      throw new RangeError(
        `${fn}: zeroPoints has ${zp.length} bytes, expected N * ceil(nBlocks * bits / 8) = ${N * zpBytes}`,
      );
    }
    zeroPoints = new Uint8Array(N * nBlocks);
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < nBlocks; s++)
        zeroPoints[n * nBlocks + s] = (zp[n * zpBytes + ((s / per) | 0)]! >> ((s % per) * bits)) & mask;
    }
  } else {
    if (zp.length !== N * nBlocks)
      throw new RangeError(`${fn}: float zeroPoints has ${zp.length} elements, expected ${N * nBlocks}`);
    zeroPoints = zp instanceof Uint16Array ? float16.decodeArray(zp) : Float32Array.from(zp);
  }
  return { bits, blockSize, N, K, codes, scales, zeroPoints };
}
