import { float16 } from "@quantkit/numeric";
import { _checkPackedBits } from "./_validate";
import type { BlockQuantized, ScaleType } from "./blockQuantized";

/** A tensor ready for an ONNX initializer: its data (raw element values or bytes), dims and element type. */
export interface WeightTensor<D, T extends string> {
  readonly data: D;
  readonly dims: readonly number[];
  readonly type: T;
}

/**
 * The inputs and attributes of a `com.microsoft.MatMulNBits` node (ONNX Runtime contrib op, Y = A B with
 * B [K, N] quantized), as ONNX Runtime's quantizer writes them:
 * - `attributes`: K, N, bits, block_size (add `accuracy_level` yourself if wanted);
 * - `B`: uint8 [N, nBlocks, blobSize], blobSize = blockSize * bits / 8. Byte j of block b of column n holds
 *   codes k = b * blockSize + j * (8 / bits) + f at bits f * bits.. (low bits first: for 4 bits, two codes per
 *   byte, low nibble first). Codes past K in the last block are 0.
 * - `scales`: [N, nBlocks] float32 (Float32Array) or float16 (Uint16Array of IEEE half bits); the type of
 *   A must match.
 * - `zeroPoints`: null when symmetric (MatMulNBits then uses 2^(bits-1)); else uint8 [N, ceil(nBlocks *
 *   bits / 8)] packed like B along the blocks of a column, unused slots 2^(bits-1) (as MLAS leaves them);
 *   or, for float zero points (HQQ), [N, nBlocks] of the scales' type.
 * Bits 2, 4 or 8 (3-bit results have no MatMulNBits layout: a RangeError says so).
 * The flat 1-D shapes of older ONNX Runtime releases ([N * nBlocks], [N * ceil(nBlocks * bits / 8)]) hold the
 * same bytes.
 *
 * @example
 * import { packMatMulNBits, quantizeBlockwise } from "@quantkit/weights";
 * const q = quantizeBlockwise(new Float32Array(64).fill(1), [2, 32], { blockSize: 32 });
 * const t = packMatMulNBits(q);
 * t.B.dims          // [2, 1, 16]
 * t.zeroPoints?.dims // [2, 1]
 */
export function packMatMulNBits(q: BlockQuantized<Uint8Array | Float32Array>): {
  readonly attributes: {
    readonly K: number;
    readonly N: number;
    readonly bits: number;
    readonly block_size: number;
  };
  readonly B: WeightTensor<Uint8Array, "uint8">;
  readonly scales: WeightTensor<Float32Array | Uint16Array, ScaleType>;
  readonly zeroPoints: WeightTensor<Uint8Array | Float32Array | Uint16Array, "uint8" | ScaleType> | null;
} {
  const { N, K, blockSize, nBlocks } = q;
  const bits = _checkPackedBits(q.bits, "MatMulNBits", "packMatMulNBits");
  const per = 8 / bits;
  const blobSize = blockSize / per;
  const b = new Uint8Array(N * nBlocks * blobSize);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const blk = (k / blockSize) | 0;
      const j = k - blk * blockSize;
      b[(n * nBlocks + blk) * blobSize + ((j / per) | 0)]! |= q.codes[n * K + k]! << ((j % per) * bits);
    }
  }
  const scales =
    q.scaleType === "float16"
      ? { data: float16.encodeArray(q.scales), dims: [N, nBlocks], type: "float16" as const }
      : { data: Float32Array.from(q.scales), dims: [N, nBlocks], type: "float32" as const };
  let zeroPoints: WeightTensor<Uint8Array | Float32Array | Uint16Array, "uint8" | ScaleType> | null = null;
  if (q.zeroPoints instanceof Float32Array) {
    zeroPoints =
      q.scaleType === "float16"
        ? { data: float16.encodeArray(q.zeroPoints), dims: [N, nBlocks], type: "float16" }
        : { data: Float32Array.from(q.zeroPoints), dims: [N, nBlocks], type: "float32" };
  } else if (!q.symmetric) {
    const zpBytes = Math.ceil((nBlocks * bits) / 8);
    const zp = new Uint8Array(N * zpBytes);
    const mid = 1 << (bits - 1);
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < zpBytes * per; s++) {
        const v = s < nBlocks ? q.zeroPoints[n * nBlocks + s]! : mid;
        zp[n * zpBytes + ((s / per) | 0)]! |= v << ((s % per) * bits);
      }
    }
    zeroPoints = { data: zp, dims: [N, zpBytes], type: "uint8" };
  }
  return {
    attributes: { K, N, bits, block_size: blockSize },
    B: { data: b, dims: [N, nBlocks, blobSize], type: "uint8" },
    scales,
    zeroPoints,
  };
}
