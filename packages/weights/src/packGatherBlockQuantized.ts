import { float16 } from "@quantkit/numeric";
import { _checkPackedBits } from "./_validate";
import type { BlockQuantized, ScaleType } from "./blockQuantized";
import { packBlockedDequantizeLinear } from "./packBlockedDequantizeLinear";
import type { WeightTensor } from "./packMatMulNBits";

/**
 * The inputs and attributes of a `com.microsoft.GatherBlockQuantized` node (ONNX Runtime contrib op: a
 * Gather along axis 0 of an embedding table [V, D] quantized in blocks along D) for q = the table
 * quantized as [N, K] = [V, D] (`quantizeBlockwise(table, [V, D], { arithmetic: "numpy" })` for ONNX
 * Runtime's own codes):
 * - `attributes`: gather_axis 0, quantize_axis 1, block_size; `bits` only for 2 and 8 bits.
 * - bits 4 (what ONNX Runtime's quantizer writes): `data` int4 [V, D] when symmetric (code - 8) or uint4
 *   when asymmetric, two per byte over the flat tensor, low nibble first; `zeroPoints` uint4 [V, nBlocks]
 *   packed the same way, null when symmetric (the op's default zero point for int4 is 0).
 * - bits 2 and 8 (the op's uint8 form, MatMulNBits' conventions): `data` uint8 [V, D * bits / 8], the
 *   unsigned codes of a row packed along D, low bits first (D must be a multiple of 8 / bits);
 *   `zeroPoints` uint8 [V, ceil(nBlocks * bits / 8)] packed the same way along a row's blocks (unused
 *   slots 2^(bits-1)), null when symmetric (the op then uses 2^(bits-1)).
 * - `scales`: [V, nBlocks], nBlocks = ceil(D / blockSize) (a short last block when D is not a
 *   multiple), float32 or float16 (the type of the op's output).
 * The op's output rows equal `dequantizeBlockwise(q)`'s rows exactly. Float zero points (HQQ unrounded)
 * and 3-bit codes have no form here: they throw.
 *
 * @example
 * import { packGatherBlockQuantized, quantizeBlockwise } from "@quantkit/weights";
 * const table = new Float32Array(4 * 32).map((_, i) => Math.sin(i)); // V = 4 tokens, D = 32
 * const q = quantizeBlockwise(table, [4, 32], { blockSize: 16, symmetric: true, arithmetic: "numpy" });
 * const t = packGatherBlockQuantized(q);
 * t.data.type    // "int4"
 * t.data.dims    // [4, 32]
 * t.scales.dims  // [4, 2]
 * t.zeroPoints   // null
 */
export function packGatherBlockQuantized(q: BlockQuantized<Uint8Array | Float32Array>): {
  readonly attributes: {
    readonly gather_axis: 0;
    readonly quantize_axis: 1;
    readonly block_size: number;
    readonly bits?: 2 | 8;
  };
  readonly data: WeightTensor<Uint8Array, "int4" | "uint4" | "uint8">;
  readonly scales: WeightTensor<Float32Array | Uint16Array, ScaleType>;
  readonly zeroPoints: WeightTensor<Uint8Array, "uint4" | "uint8"> | null;
} {
  const fn = "packGatherBlockQuantized";
  const bits = _checkPackedBits(q.bits, "GatherBlockQuantized", fn);
  const { N, K, nBlocks, blockSize } = q;
  const zeroPoints = q.zeroPoints;
  if (!(zeroPoints instanceof Uint8Array)) {
    throw new TypeError(
      `${fn}: zeroPoints are float (HQQ); GatherBlockQuantized takes integer zero points (hqq with roundZeroPoint: true)`,
    );
  }
  const base = { gather_axis: 0, quantize_axis: 1, block_size: blockSize } as const;
  if (bits === 4) {
    // The int4 / uint4 form is the tensors of a blocked DequantizeLinear along axis 1.
    const t = packBlockedDequantizeLinear(q, { axis: 1 });
    return {
      attributes: base,
      data: t.x as WeightTensor<Uint8Array, "int4" | "uint4">,
      scales: t.xScale,
      zeroPoints: t.xZeroPoint as WeightTensor<Uint8Array, "uint4"> | null,
    };
  }
  const per = 8 / bits;
  if (K % per !== 0) {
    throw new RangeError(
      `${fn}: D = ${K} is not a multiple of ${per}: ${bits}-bit data [V, D * ${bits} / 8] needs whole bytes per row`,
    );
  }
  const packRows = (values: ArrayLike<number>, cols: number, fill: number): Uint8Array => {
    const bytes = Math.ceil(cols / per);
    const out = new Uint8Array(N * bytes);
    for (let n = 0; n < N; n++)
      for (let s = 0; s < bytes * per; s++) {
        const v = s < cols ? values[n * cols + s]! : fill;
        out[n * bytes + ((s / per) | 0)]! |= v << ((s % per) * bits);
      }
    return out;
  };
  return {
    attributes: { ...base, bits },
    data: { data: packRows(q.codes, K, 0), dims: [N, K / per], type: "uint8" },
    scales:
      q.scaleType === "float16"
        ? { data: float16.encodeArray(q.scales), dims: [N, nBlocks], type: "float16" }
        : { data: Float32Array.from(q.scales), dims: [N, nBlocks], type: "float32" },
    zeroPoints: q.symmetric
      ? null
      : {
          data: packRows(zeroPoints, nBlocks, 1 << (bits - 1)),
          dims: [N, Math.ceil(nBlocks / per)],
          type: "uint8",
        },
  };
}
