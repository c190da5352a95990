import { float16 } from "@quantkit/numeric";
import type { BlockQuantized, ScaleType } from "./blockQuantized";
import type { WeightTensor } from "./packMatMulNBits";

/**
 * The inputs and attributes of a standard blocked `DequantizeLinear` (opset 21, axis 0) that rebuilds
 * MatMul's B [K, N] for runtimes without contrib ops (then `MatMul(A, DequantizeLinear(x, x_scale,
 * x_zero_point))`), the QDQ form of ONNX Runtime's quantizer:
 * - `x`: [K, N] row-major (element (k, n) at k * N + n); bits 4: int4/uint4 packed two per byte over the
 *   flat tensor, low nibble first (ceil(K * N / 2) bytes); bits 8: int8/uint8, one byte each. Symmetric
 *   blocks give signed codes (code - 2^(bits-1), two's complement) and no zero point; asymmetric blocks
 *   unsigned codes and a zero point.
 * - `xScale`: [nBlocks, N], float32 (Float32Array) or float16 (Uint16Array bits).
 * - `xZeroPoint`: [nBlocks, N] of x's type, packed like x; null when symmetric.
 * The dequantized values equal `dequantizeBlockwise(q)` exactly. 2-bit weights and float zero points
 * (HQQ) have no opset-21 form: they throw.
 *
 * @example
 * import { packBlockedDequantizeLinear, quantizeBlockwise } from "@quantkit/weights";
 * const q = quantizeBlockwise(new Float32Array(64).fill(1), [2, 32], { blockSize: 32, symmetric: true });
 * const t = packBlockedDequantizeLinear(q);
 * t.x.type      // "int4"
 * t.xScale.dims // [1, 2]
 */
export function packBlockedDequantizeLinear(q: BlockQuantized<Uint8Array | Float32Array>): {
  readonly attributes: { readonly axis: 0; readonly block_size: number };
  readonly x: WeightTensor<Uint8Array, "int4" | "uint4" | "int8" | "uint8">;
  readonly xScale: WeightTensor<Float32Array | Uint16Array, ScaleType>;
  readonly xZeroPoint: WeightTensor<Uint8Array, "uint4" | "uint8"> | null;
} {
  const fn = "packBlockedDequantizeLinear";
  const { N, K, bits, nBlocks } = q;
  if (bits !== 4 && bits !== 8) {
    throw new RangeError(
      `${fn}: bits must be 4 or 8 for DequantizeLinear (int4/uint4, int8/uint8), got ${bits}`,
    );
  }
  if (!(q.zeroPoints instanceof Uint8Array)) {
    throw new TypeError(
      `${fn}: zeroPoints are float (HQQ); DequantizeLinear needs integer zero points (hqq with roundZeroPoint: true)`,
    );
  }
  const offset = q.symmetric ? 1 << (bits - 1) : 0;
  const mask = (1 << bits) - 1;
  const pack = (value: (i: number) => number, count: number): Uint8Array => {
    if (bits === 8) return Uint8Array.from({ length: count }, (_, i) => value(i) & 0xff);
    const out = new Uint8Array(Math.ceil(count / 2));
    for (let i = 0; i < count; i++) out[i >> 1]! |= (value(i) & mask) << ((i & 1) * 4);
    return out;
  };
  const x = pack((i) => q.codes[(i % N) * K + ((i / N) | 0)]! - offset, K * N);
  const transposed = new Float32Array(nBlocks * N);
  for (let b = 0; b < nBlocks; b++)
    for (let n = 0; n < N; n++) transposed[b * N + n] = q.scales[n * nBlocks + b]!;
  const zeroPoints = q.zeroPoints;
  return {
    attributes: { axis: 0, block_size: q.blockSize },
    x: {
      data: x,
      dims: [K, N],
      type: q.symmetric ? (bits === 4 ? "int4" : "int8") : bits === 4 ? "uint4" : "uint8",
    },
    xScale:
      q.scaleType === "float16"
        ? { data: float16.encodeArray(transposed), dims: [nBlocks, N], type: "float16" }
        : { data: transposed, dims: [nBlocks, N], type: "float32" },
    xZeroPoint: q.symmetric
      ? null
      : {
          data: pack((i) => zeroPoints[(i % N) * nBlocks + ((i / N) | 0)]!, nBlocks * N),
          dims: [nBlocks, N],
          type: bits === 4 ? "uint4" : "uint8",
        },
  };
}
