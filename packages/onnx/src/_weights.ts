// Weight quantization shared by q8 and int8: symmetric codes (ONNX Runtime's weights are symmetric by
// default), per tensor or per channel along `axis`, scale = max|w| / 127 through @quantkit/quantizers'
// calculateQParams, codes computed with ONNX's arithmetic (x / scale, ties to even) so that they equal
// what QuantizeLinear would write for the same float32 weights.
import { calculateQParams, type QParams, quantize } from "@quantkit/quantizers";
import { _show } from "./_errors";

/** int8 codes in -127..127 (zero point 0) or uint8 codes in 1..255 (zero point 128). */
export type _WeightType = "int8" | "uint8";

export interface _QuantizedWeight {
  codes: Int8Array | Uint8Array;
  /** One per channel along `axis`, or one. */
  scale: Float32Array;
  zeroPoint: number;
  qparams: QParams;
}

/** Quantizes a float32 weight of `dims` per tensor (axis null) or per channel along `axis`. */
export function _quantizeWeight(
  w: Float32Array,
  dims: readonly number[],
  axis: number | null,
  type: _WeightType,
  where: string,
): _QuantizedWeight {
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i]!))
      throw new RangeError(`${where}: weight value ${w[i]} at index ${i} is not finite`);
  }
  if (w.length === 0) throw new RangeError(`${where}: the weight is empty (dims ${_show(dims)})`);
  const channels = axis === null ? 1 : dims[axis]!;
  let inner = 1;
  if (axis !== null) for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const mins = new Float32Array(channels);
  const maxs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = axis === null ? 0 : Math.floor(i / inner) % channels;
    const v = w[i]!;
    if (v < mins[c]!) mins[c] = v;
    if (v > maxs[c]!) maxs[c] = v;
  }
  // The scale is the int8 one (max|w| / 127, PyTorch's symmetric qint8 on -127..127); uint8 codes are the
  // int8 codes + 128, which is ONNX's QuantizeLinear with zero point 128 (1..255, no clamping differs).
  const qparams = calculateQParams(mins, maxs, {
    dtype: "qint8",
    qscheme: axis === null ? "per_tensor_symmetric" : "per_channel_symmetric",
    quantMin: -127,
    quantMax: 127,
    ...(axis === null ? {} : { axis }),
  });
  const codes = quantize(w, dims.length === 0 ? [] : [...dims], qparams, { arithmetic: "onnx" }) as Int8Array;
  if (type === "int8") return { codes, scale: qparams.scale, zeroPoint: 0, qparams };
  // In place: the byte of an int8 code c in -127..127 with its top bit flipped is c + 128 as a uint8.
  const u8 = new Uint8Array(codes.buffer, codes.byteOffset, codes.length);
  for (let i = 0; i < u8.length; i++) u8[i]! ^= 0x80;
  return { codes: u8, scale: qparams.scale, zeroPoint: 128, qparams };
}
