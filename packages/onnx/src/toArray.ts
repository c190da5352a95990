import { _show } from "./_errors";
import { type TensorProto, TensorProto_DataLocation } from "./_gen/onnx_pb";
import {
  _elementCount,
  _isSignedSubByte,
  _LITTLE_ENDIAN,
  _lanes,
  _STORAGE,
  _subByteBits,
  _unpack,
  type TensorArray,
} from "./_storage";
import { _rawByteLength, dataTypeName } from "./dataType";

/**
 * The elements of a tensor as a new typed array, whether they sit in `raw_data` (little-endian, sub-byte
 * types packed low bits first) or in the typed field the spec names (`float_data`, `int32_data`,
 * `int64_data`, `double_data`, `uint64_data`). Like numpy_helper.to_array, but float16 / bfloat16 /
 * float8 come back as their bit patterns and int4 / uint4 / int2 / uint2 / float4e2m1 unpacked one per
 * element:
 *
 * | data type | array |
 * | --- | --- |
 * | float32, complex64 (re, im interleaved) | Float32Array |
 * | float64, complex128 | Float64Array |
 * | int8, int4, int2 | Int8Array |
 * | uint8, bool, uint4, uint2, float8 (all four), float8e8m0, float4e2m1 | Uint8Array |
 * | int16 / uint16, float16, bfloat16 | Int16Array / Uint16Array |
 * | int32 / uint32 | Int32Array / Uint32Array |
 * | int64 / uint64 | BigInt64Array / BigUint64Array |
 *
 * Strings: {@link toStrings}. External data must be loaded first ({@link loadExternalData}); the error says so.
 *
 * @example
 * ```ts
 * import { DataType, fromArray, toArray } from "@quantkit/onnx";
 * toArray(fromArray(new Int8Array([-8, 7, 3]), { dataType: DataType.INT4 })); // Int8Array [-8, 7, 3]
 * ```
 */
export function toArray(tensor: TensorProto): TensorArray {
  const where = `toArray(${_show(tensor.name)})`;
  const dataType = tensor.dataType;
  const Ctor = _STORAGE[dataType];
  if (Ctor === undefined) {
    if (dataType === 8) throw new TypeError(`${where}: a string tensor; read it with toStrings`);
    throw new RangeError(`${where}: unknown or undefined data_type ${_show(dataType)}`);
  }
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    throw new Error(
      `${where}: the data is external (${_externalText(tensor)}); load it first with loadExternalData`,
    );
  }
  if (tensor.segment !== undefined) throw new Error(`${where}: segmented tensors are not supported`);
  const count = _elementCount(tensor, where);
  const values = count * _lanes(dataType);
  const sub = _subByteBits(dataType);
  const name = dataTypeName(dataType);
  const raw = tensor.rawData;
  if (raw.length > 0 || _noTypedData(tensor)) {
    const expected = _rawByteLength(dataType, count, where);
    if (raw.length !== expected) {
      throw new RangeError(
        `${where}: raw_data has ${raw.length} bytes, ${name} dims [${tensor.dims.join(", ")}] need ${expected}`,
      );
    }
    if (sub > 0) return _unpack(raw, count, sub, _isSignedSubByte(dataType));
    if (!_LITTLE_ENDIAN && Ctor.BYTES_PER_ELEMENT > 1)
      throw new Error(`${where}: big-endian hosts are not supported`);
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Ctor(copy.buffer, 0, values);
  }
  const field = _typedField(tensor, dataType);
  const perItem = sub > 0 ? 8 / sub : 1;
  const expectedItems = Math.ceil(values / perItem);
  if (field.length !== expectedItems) {
    throw new RangeError(
      `${where}: ${_typedFieldName(dataType)} has ${field.length} values, ${name} dims [${tensor.dims.join(", ")}] need ${expectedItems}`,
    );
  }
  if (sub > 0) {
    const bytes = Uint8Array.from(field as number[], (v) => v & 0xff);
    return _unpack(bytes, count, sub, _isSignedSubByte(dataType));
  }
  const out = new Ctor(values);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < values; i++) out[i] = BigInt((field as bigint[])[i]!);
  } else {
    for (let i = 0; i < values; i++) (out as Float64Array)[i] = Number((field as number[])[i]!);
  }
  return out;
}

/**
 * The elements of a string tensor (`string_data`) decoded from UTF-8.
 *
 * @example
 * ```ts
 * import { DataType, makeTensor, toStrings } from "@quantkit/onnx";
 * toStrings(makeTensor("s", DataType.STRING, [2], ["a", "b"])); // ["a", "b"]
 * ```
 */
export function toStrings(tensor: TensorProto): string[] {
  if (tensor.dataType !== 8) {
    throw new TypeError(
      `toStrings(${_show(tensor.name)}): data_type ${_show(tensor.dataType)} is not STRING (8)`,
    );
  }
  const decoder = new TextDecoder();
  return tensor.stringData.map((b) => decoder.decode(b));
}

function _noTypedData(t: TensorProto): boolean {
  return (
    t.floatData.length === 0 &&
    t.int32Data.length === 0 &&
    t.int64Data.length === 0 &&
    t.doubleData.length === 0 &&
    t.uint64Data.length === 0
  );
}

function _typedFieldName(dataType: number): string {
  if (dataType === 1 || dataType === 14) return "float_data";
  if (dataType === 11 || dataType === 15) return "double_data";
  if (dataType === 7) return "int64_data";
  if (dataType === 12 || dataType === 13) return "uint64_data";
  return "int32_data";
}

function _typedField(t: TensorProto, dataType: number): number[] | bigint[] {
  if (dataType === 1 || dataType === 14) return t.floatData;
  if (dataType === 11 || dataType === 15) return t.doubleData;
  if (dataType === 7) return t.int64Data;
  if (dataType === 12 || dataType === 13) return t.uint64Data;
  return t.int32Data;
}

export function _externalText(t: TensorProto): string {
  return t.externalData.map((e) => `${e.key}=${e.value}`).join(", ") || "no external_data entries";
}
