import { create } from "@bufbuild/protobuf";
import { _checkOptions, _show } from "./_errors";
import { type TensorProto, TensorProtoSchema } from "./_gen/onnx_pb";
import { _LITTLE_ENDIAN, _lanes, _pack, _STORAGE, _subByteBits, type TensorArray } from "./_storage";
import { dataTypeName } from "./dataType";

/** Options of {@link fromArray}. */
export interface FromArrayOptions {
  /** ONNX data type; default from the array: Float32Array -> FLOAT, Int8Array -> INT8, BigInt64Array -> INT64... */
  dataType?: number;
  /** Shape; default one dimension of the element count. */
  dims?: readonly number[];
  /** The tensor's name. */
  name?: string;
}

const _DEFAULT_TYPE = new Map<unknown, number>([
  [Float32Array, 1],
  [Uint8Array, 2],
  [Int8Array, 3],
  [Uint16Array, 4],
  [Int16Array, 5],
  [Int32Array, 6],
  [BigInt64Array, 7],
  [Float64Array, 11],
  [Uint32Array, 12],
  [BigUint64Array, 13],
]);

// Valid stored values for types whose storage array is wider than the type.
const _RANGE: Readonly<Record<number, readonly [number, number]>> = {
  9: [0, 1],
  21: [0, 15],
  22: [-8, 7],
  23: [0, 15],
  25: [0, 3],
  26: [-2, 1],
};

/**
 * A tensor holding a typed array in `raw_data` (the inverse of {@link toArray}; like
 * numpy_helper.from_array). The array is the storage form: bit patterns for float16 / bfloat16 /
 * float8 (Uint16Array / Uint8Array), one element per entry for int4 / uint4 / int2 / uint2 (packed here,
 * low bits first; an odd tail leaves the high nibble zero). For byte-wide and wider types `raw_data`
 * is a view of the array's bytes, not a copy: do not change the array while the tensor is in use.
 *
 * @example
 * ```ts
 * import { DataType, fromArray } from "@quantkit/onnx";
 * fromArray(new Int8Array([1, -1, 7]), { dataType: DataType.INT4, name: "w" }).rawData; // Uint8Array [0xf1, 0x07]
 * ```
 */
export function fromArray(data: TensorArray, options?: FromArrayOptions): TensorProto {
  _checkOptions("fromArray", options, ["dataType", "dims", "name"]);
  const name = options?.name ?? "";
  const where = `fromArray(${_show(name)})`;
  const dataType = options?.dataType ?? _DEFAULT_TYPE.get(data?.constructor);
  if (dataType === undefined) throw new TypeError(`${where}: data must be a typed array, got ${_show(data)}`);
  const Ctor = _STORAGE[dataType];
  if (Ctor === undefined)
    throw new RangeError(`${where}: unsupported dataType ${_show(dataType)} (strings: makeTensor)`);
  if (!(data instanceof Ctor)) {
    throw new TypeError(
      `${where}: ${dataTypeName(dataType)} data must be a ${Ctor.name}, got ${_show(data)}`,
    );
  }
  const lanes = _lanes(dataType);
  if (data.length % lanes !== 0)
    throw new RangeError(`${where}: complex data needs an even length, got ${data.length}`);
  const count = data.length / lanes;
  const dims = options?.dims ?? [count];
  let product = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new RangeError(`${where}: bad dimension ${_show(d)} in dims ${_show(dims)}`);
    product *= d;
  }
  if (product !== count) {
    throw new RangeError(`${where}: dims ${_show(dims)} hold ${product} elements, data has ${count}`);
  }
  const range = _RANGE[dataType];
  if (range !== undefined) {
    const values = data as Uint8Array | Int8Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < range[0] || v > range[1]) {
        throw new RangeError(
          `${where}: ${dataTypeName(dataType)} value ${v} at index ${i} is outside ${range[0]}..${range[1]}`,
        );
      }
    }
  }
  const sub = _subByteBits(dataType);
  let rawData: Uint8Array;
  if (sub > 0) {
    rawData = _pack(data as Uint8Array | Int8Array, sub);
  } else {
    if (!_LITTLE_ENDIAN && Ctor.BYTES_PER_ELEMENT > 1)
      throw new Error(`${where}: big-endian hosts are not supported`);
    rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return create(TensorProtoSchema, { name, dataType, dims: dims.map(BigInt), rawData });
}
