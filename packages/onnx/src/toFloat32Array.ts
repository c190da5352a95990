import { _show } from "./_errors";
import { _decodeFloat4e2m1, _decodeFloat8e8m0, _FLOAT_FORMATS } from "./_floatCodecs";
import type { TensorProto } from "./_gen/onnx_pb";
import { dataTypeName } from "./dataType";
import { toArray } from "./toArray";

/**
 * The values of a real-valued numeric tensor as float32: float16 / bfloat16 / float8 decoded through
 * @quantkit/numeric (exact), integers converted (int64 beyond 2^24 rounds to the nearest float32),
 * float64 rounded. Complex and string tensors throw.
 *
 * @example
 * ```ts
 * import { DataType, makeTensor, toFloat32Array } from "@quantkit/onnx";
 * toFloat32Array(makeTensor("h", DataType.FLOAT16, [2], [1, 0.1])); // Float32Array [1, 0.0999755859375]
 * ```
 */
export function toFloat32Array(tensor: TensorProto): Float32Array {
  const dataType = tensor.dataType;
  if (dataType === 8 || dataType === 14 || dataType === 15) {
    throw new TypeError(
      `toFloat32Array(${_show(tensor.name)}): ${dataTypeName(dataType)} has no real float32 value`,
    );
  }
  const data = toArray(tensor);
  if (data instanceof Float32Array) return data;
  const format = _FLOAT_FORMATS[dataType];
  if (format !== undefined)
    return (format as { decodeArray(b: Uint8Array | Uint16Array): Float32Array }).decodeArray(
      data as Uint8Array,
    );
  const out = new Float32Array(data.length);
  if (dataType === 23) for (let i = 0; i < out.length; i++) out[i] = _decodeFloat4e2m1(data[i] as number);
  else if (dataType === 24)
    for (let i = 0; i < out.length; i++) out[i] = _decodeFloat8e8m0(data[i] as number);
  else if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    for (let i = 0; i < out.length; i++) out[i] = Number(data[i]!);
  else out.set(data as Float64Array);
  return out;
}
