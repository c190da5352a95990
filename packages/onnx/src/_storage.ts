import { _show } from "./_errors";
import type { TensorProto } from "./_gen/onnx_pb";

/** The typed arrays tensor data decodes to (see toArray for which data type gives which). */
export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type _Ctor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Storage array type per data type; complex types hold 2 values per element. */
export const _STORAGE: Readonly<Record<number, _Ctor>> = {
  1: Float32Array,
  2: Uint8Array,
  3: Int8Array,
  4: Uint16Array,
  5: Int16Array,
  6: Int32Array,
  7: BigInt64Array,
  9: Uint8Array,
  10: Uint16Array,
  11: Float64Array,
  12: Uint32Array,
  13: BigUint64Array,
  14: Float32Array,
  15: Float64Array,
  16: Uint16Array,
  17: Uint8Array,
  18: Uint8Array,
  19: Uint8Array,
  20: Uint8Array,
  21: Uint8Array,
  22: Int8Array,
  23: Uint8Array,
  24: Uint8Array,
  25: Uint8Array,
  26: Int8Array,
};

/** Values per element: 2 for complex64/complex128, 1 otherwise. */
export function _lanes(dataType: number): number {
  return dataType === 14 || dataType === 15 ? 2 : 1;
}

/** Sub-byte element width (4 or 2), or 0 for types of a byte or more. */
export function _subByteBits(dataType: number): number {
  if (dataType === 21 || dataType === 22 || dataType === 23) return 4;
  if (dataType === 25 || dataType === 26) return 2;
  return 0;
}

/** True for int4 / int2 (sign-extended when unpacked). */
export function _isSignedSubByte(dataType: number): boolean {
  return dataType === 22 || dataType === 26;
}

/** Element count of a tensor from its dims, checked (every dim a non-negative safe integer). */
export function _elementCount(tensor: TensorProto, where: string): number {
  let n = 1;
  for (const d of tensor.dims) {
    if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(
        `${where}: tensor ${_show(tensor.name)} has a bad dimension ${d} in dims [${tensor.dims.join(", ")}]`,
      );
    }
    n *= Number(d);
  }
  if (!Number.isSafeInteger(n))
    throw new RangeError(
      `${where}: tensor ${_show(tensor.name)} is too large (dims [${tensor.dims.join(", ")}])`,
    );
  return n;
}

/** The dims of a tensor as numbers. */
export function _dimsOf(tensor: TensorProto): number[] {
  return tensor.dims.map(Number);
}

export const _LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Unpacks `count` sub-byte elements (low bits first) of `bits` width from bytes. */
export function _unpack(
  bytes: Uint8Array,
  count: number,
  bits: number,
  signed: boolean,
): Int8Array | Uint8Array {
  const out = signed ? new Int8Array(count) : new Uint8Array(count);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  for (let i = 0; i < count; i++) {
    const v = (bytes[(i / perByte) | 0]! >> ((i % perByte) * bits)) & mask;
    out[i] = signed && v & signBit ? v - (1 << bits) : v;
  }
  return out;
}

/** Packs sub-byte elements (low bits first; odd tails leave the high bits zero). */
export function _pack(values: ArrayLike<number>, bits: number): Uint8Array {
  const perByte = 8 / bits;
  const out = new Uint8Array(Math.ceil(values.length / perByte));
  const mask = (1 << bits) - 1;
  for (let i = 0; i < values.length; i++) {
    out[(i / perByte) | 0]! |= (values[i]! & mask) << ((i % perByte) * bits);
  }
  return out;
}
