import { create } from "@bufbuild/protobuf";
import { _show } from "./_errors";
import { _FLOAT_FORMATS } from "./_floatCodecs";
import { type TensorProto, TensorProtoSchema } from "./_gen/onnx_pb";
import { _STORAGE, type TensorArray } from "./_storage";
import { dataTypeName } from "./dataType";
import { fromArray } from "./fromArray";

/**
 * A new tensor from values (not bit patterns), like onnx.helper.make_tensor: float32 / float64 stored
 * as given, float16 / bfloat16 / float8 rounded to nearest even straight from float64 by @quantkit/numeric
 * (float16 overflows to ±inf, E4M3FN to NaN, as a cast without saturation does), integers checked to be
 * whole and in range, int64 / uint64 from bigints or safe integers, bool from booleans or 0/1,
 * complex as interleaved (re, im), strings UTF-8 in `string_data`; all others in `raw_data`.
 * float4e2m1 and float8e8m0 take codes: use {@link fromArray}.
 *
 * @example
 * ```ts
 * import { DataType, makeTensor } from "@quantkit/onnx";
 * makeTensor("x", DataType.FLOAT16, [2], [1, -2]).rawData; // Uint8Array [0x00, 0x3c, 0x00, 0xc0]
 * ```
 */
export function makeTensor(
  name: string,
  dataType: number,
  dims: readonly number[],
  values: ArrayLike<number | bigint | boolean> | readonly string[],
): TensorProto {
  const where = `makeTensor(${_show(name)})`;
  if (dataType === 8) {
    const encoder = new TextEncoder();
    const strings = Array.from(values as ArrayLike<unknown>, (s, i) => {
      if (typeof s !== "string")
        throw new TypeError(`${where}: string tensor value at index ${i} is ${_show(s)}`);
      return encoder.encode(s);
    });
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== strings.length)
      throw new RangeError(`${where}: dims ${_show(dims)} hold ${count} elements, got ${strings.length}`);
    return create(TensorProtoSchema, { name, dataType, dims: dims.map(BigInt), stringData: strings });
  }
  const Ctor = _STORAGE[dataType];
  if (Ctor === undefined) throw new RangeError(`${where}: unknown dataType ${_show(dataType)}`);
  if (dataType === 23 || dataType === 24) {
    throw new TypeError(`${where}: ${dataTypeName(dataType)} takes codes, not values: use fromArray`);
  }
  const n = values.length;
  const format = _FLOAT_FORMATS[dataType];
  let data: TensorArray;
  if (format !== undefined) {
    data = (format as { encodeArray(v: Float64Array): Uint8Array | Uint16Array }).encodeArray(
      _numbers(values, where),
    );
  } else if (Ctor === Float32Array || Ctor === Float64Array) {
    data = new Ctor(_numbers(values, where));
  } else if (Ctor === BigInt64Array || Ctor === BigUint64Array) {
    const out = new Ctor(n);
    const [lo, hi] = Ctor === BigInt64Array ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
    for (let i = 0; i < n; i++) {
      const v = (values as ArrayLike<unknown>)[i];
      const b =
        typeof v === "bigint" ? v : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : undefined;
      if (b === undefined || b < lo || b > hi) {
        throw new RangeError(
          `${where}: ${dataTypeName(dataType)} value ${_show(v)} at index ${i} is not an integer in range`,
        );
      }
      out[i] = b;
    }
    data = out;
  } else {
    const out = new Ctor(n);
    const bits = Ctor.BYTES_PER_ELEMENT * 8;
    const signed = Ctor === Int8Array || Ctor === Int16Array || Ctor === Int32Array;
    const lo = signed ? -(2 ** (bits - 1)) : 0;
    const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    for (let i = 0; i < n; i++) {
      let v = (values as ArrayLike<unknown>)[i];
      if (typeof v === "boolean") v = v ? 1 : 0;
      if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
        throw new RangeError(
          `${where}: ${dataTypeName(dataType)} value ${_show(v)} at index ${i} is not an integer in ${lo}..${hi}`,
        );
      }
      (out as Int32Array)[i] = v;
    }
    data = out;
  }
  return fromArray(data, { dataType, dims, name });
}

function _numbers(values: ArrayLike<unknown>, where: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number")
      throw new TypeError(`${where}: value at index ${i} must be a number, got ${_show(v)}`);
    out[i] = v;
  }
  return out;
}
