import { _show } from "./_errors";
import { TensorProto_DataType } from "./_gen/onnx_pb";

/** ONNX's `TensorProto.DataType` codes: `DataType.FLOAT` is 1, `DataType.FLOAT16` 10, `DataType.INT4` 22. */
export const DataType = TensorProto_DataType;
/** One of ONNX's `TensorProto.DataType` codes. */
export type DataType = TensorProto_DataType;

interface _Info {
  readonly name: string;
  /** Bits per element as stored in raw_data (complex counts both parts); 0 for strings. */
  readonly bits: number;
  /** The first IR version that has the type. */
  readonly irVersion: number;
}

const _INFO: Readonly<Record<number, _Info>> = {
  1: { name: "float32", bits: 32, irVersion: 1 },
  2: { name: "uint8", bits: 8, irVersion: 1 },
  3: { name: "int8", bits: 8, irVersion: 1 },
  4: { name: "uint16", bits: 16, irVersion: 1 },
  5: { name: "int16", bits: 16, irVersion: 1 },
  6: { name: "int32", bits: 32, irVersion: 1 },
  7: { name: "int64", bits: 64, irVersion: 1 },
  8: { name: "string", bits: 0, irVersion: 1 },
  9: { name: "bool", bits: 8, irVersion: 1 },
  10: { name: "float16", bits: 16, irVersion: 1 },
  11: { name: "float64", bits: 64, irVersion: 1 },
  12: { name: "uint32", bits: 32, irVersion: 1 },
  13: { name: "uint64", bits: 64, irVersion: 1 },
  14: { name: "complex64", bits: 64, irVersion: 1 },
  15: { name: "complex128", bits: 128, irVersion: 1 },
  16: { name: "bfloat16", bits: 16, irVersion: 4 },
  17: { name: "float8e4m3fn", bits: 8, irVersion: 9 },
  18: { name: "float8e4m3fnuz", bits: 8, irVersion: 9 },
  19: { name: "float8e5m2", bits: 8, irVersion: 9 },
  20: { name: "float8e5m2fnuz", bits: 8, irVersion: 9 },
  21: { name: "uint4", bits: 4, irVersion: 10 },
  22: { name: "int4", bits: 4, irVersion: 10 },
  23: { name: "float4e2m1", bits: 4, irVersion: 11 },
  24: { name: "float8e8m0", bits: 8, irVersion: 12 },
  25: { name: "uint2", bits: 2, irVersion: 13 },
  26: { name: "int2", bits: 2, irVersion: 13 },
};

function _info(dataType: number, where: string): _Info {
  const info = _INFO[dataType];
  if (info === undefined)
    throw new RangeError(`${where}: unknown ONNX data type ${_show(dataType)} (known: 1..26)`);
  return info;
}

/**
 * The lower-case name of an ONNX data type, as ONNX Runtime prints it in tensor types.
 *
 * @example
 * ```ts
 * import { DataType, dataTypeName } from "@quantkit/onnx";
 * dataTypeName(DataType.FLOAT16); // "float16"
 * ```
 */
export function dataTypeName(dataType: number): string {
  return _info(dataType, "dataTypeName").name;
}

/**
 * Bits one element takes in `raw_data` (4 for int4, two per byte; 64 for complex64; 0 for string).
 *
 * @example
 * ```ts
 * import { DataType, dataTypeBits } from "@quantkit/onnx";
 * dataTypeBits(DataType.INT4); // 4
 * ```
 */
export function dataTypeBits(dataType: number): number {
  return _info(dataType, "dataTypeBits").bits;
}

/**
 * The lowest IR version that defines a data type (bfloat16: 4, float8: 9, int4/uint4: 10,
 * float4e2m1: 11, float8e8m0: 12, int2/uint2: 13); a model that stores such tensors needs at least it.
 *
 * @example
 * ```ts
 * import { DataType, minIrVersionForDataType } from "@quantkit/onnx";
 * minIrVersionForDataType(DataType.INT4); // 10
 * ```
 */
export function minIrVersionForDataType(dataType: number): number {
  return _info(dataType, "minIrVersionForDataType").irVersion;
}

/** Byte length of `count` elements in raw_data (sub-byte types packed, rounded up). */
export function _rawByteLength(dataType: number, count: number, where: string): number {
  const bits = _info(dataType, where).bits;
  return Math.ceil((count * bits) / 8);
}
