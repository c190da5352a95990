import { float16 } from "@quantkit/numeric";
import { _checkKeys } from "./_validate";
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
 * With `{ axis: 1 }`, the blocks run along the last axis of a [N, K] tensor instead (an embedding table
 * [V, D] quantized as q with N = V, K = D, read by Gather): `x` is q's codes [N, K] as they are, `xScale`
 * and `xZeroPoint` are [N, nBlocks].
 *
 * @example
 * import { packBlockedDequantizeLinear, quantizeBlockwise } from "@quantkit/weights";
 * const q = quantizeBlockwise(new Float32Array(64).fill(1), [2, 32], { blockSize: 32, symmetric: true });
 * const t = packBlockedDequantizeLinear(q);
 * t.x.type      // "int4"
 * t.xScale.dims // [1, 2]
 * packBlockedDequantizeLinear(q, { axis: 1 }).xScale.dims // [2, 1]
 */
export function packBlockedDequantizeLinear(
  q: BlockQuantized<Uint8Array | Float32Array>,
  options: { axis?: 0 | 1 } = {},
): {
  readonly attributes: { readonly axis: 0 | 1; readonly block_size: number };
  readonly x: WeightTensor<Uint8Array, "int4" | "uint4" | "int8" | "uint8">;
  readonly xScale: WeightTensor<Float32Array | Uint16Array, ScaleType>;
  readonly xZeroPoint: WeightTensor<Uint8Array, "uint4" | "uint8"> | null;
} {
  const fn = "packBlockedDequantizeLinear";
  _checkKeys(options, ["axis"], fn);
  const axis = options.axis ?? 0;
  if (axis !== 0 && axis !== 1)
    throw new RangeError(`${fn}: axis must be 0 or 1, got ${JSON.stringify(axis)}`);
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
  // Axis 0: element (k, n) of x [K, N] is code (n, k); axis 1: x is the codes [N, K] as they are.
  const at = (i: number, rows: number, cols: number) =>
    axis === 1 ? i : (i % rows) * cols + ((i / rows) | 0);
  const x = pack((i) => q.codes[at(i, N, K)]! - offset, K * N);
  const scales = new Float32Array(nBlocks * N);
  for (let i = 0; i < nBlocks * N; i++) scales[i] = q.scales[at(i, N, nBlocks)]!;
  const zeroPoints = q.zeroPoints;
  const blockDims = axis === 1 ? [N, nBlocks] : [nBlocks, N];
  return {
    attributes: { axis, block_size: q.blockSize },
    x: {
      data: x,
      dims: axis === 1 ? [N, K] : [K, N],
      type: q.symmetric ? (bits === 4 ? "int4" : "int8") : bits === 4 ? "uint4" : "uint8",
    },
    xScale:
      q.scaleType === "float16"
        ? { data: float16.encodeArray(scales), dims: blockDims, type: "float16" }
        : { data: scales, dims: blockDims, type: "float32" },
    xZeroPoint: q.symmetric
      ? null
      : {
          data: pack((i) => zeroPoints[at(i, N, nBlocks)]!, nBlocks * N),
          dims: blockDims,
          type: bits === 4 ? "uint4" : "uint8",
        },
  };
}
