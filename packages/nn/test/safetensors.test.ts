import { describe, expect, expectTypeOf, it } from "vitest";
import {
  parseSafetensors,
  SAFETENSORS_DTYPE_SIZES,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsArrays,
  type SafetensorsDtype,
  type SafetensorsTensor,
  serializeSafetensors,
} from "../src/index";

describe("safetensors: the format's dtypes and limits", () => {
  it("SAFETENSORS_DTYPE_SIZES lists every dtype of the safetensors spec with its size in bytes", () => {
    // huggingface/safetensors, Dtype::size(): BOOL, U8, I8, F8_* 1; U16, I16, F16, BF16 2; U32, I32, F32 4;
    // U64, I64, F64 8
    expect({ ...SAFETENSORS_DTYPE_SIZES }).toEqual({
      BOOL: 1,
      U8: 1,
      I8: 1,
      F8_E4M3: 1,
      F8_E5M2: 1,
      U16: 2,
      I16: 2,
      F16: 2,
      BF16: 2,
      U32: 4,
      I32: 4,
      F32: 4,
      U64: 8,
      I64: 8,
      F64: 8,
    });
  });
  it("each dtype's bytes per element are what serializeSafetensors lays out (3 elements each)", () => {
    const arrays: { [D in SafetensorsDtype]: SafetensorsArrays[D] } = {
      BOOL: new Uint8Array(3),
      U8: new Uint8Array(3),
      I8: new Int8Array(3),
      F8_E4M3: new Uint8Array(3),
      F8_E5M2: new Uint8Array(3),
      U16: new Uint16Array(3),
      I16: new Int16Array(3),
      F16: new Uint16Array(3),
      BF16: new Uint16Array(3),
      U32: new Uint32Array(3),
      I32: new Int32Array(3),
      F32: new Float32Array(3),
      U64: new BigUint64Array(3),
      I64: new BigInt64Array(3),
      F64: new Float64Array(3),
    };
    for (const dtype of Object.keys(SAFETENSORS_DTYPE_SIZES) as SafetensorsDtype[]) {
      const bytes = serializeSafetensors({ t: { dtype, shape: [3], data: arrays[dtype] } });
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(bytes.length - 8 - n, dtype).toBe(3 * SAFETENSORS_DTYPE_SIZES[dtype]);
      expect(arrays[dtype].BYTES_PER_ELEMENT, dtype).toBe(SAFETENSORS_DTYPE_SIZES[dtype]);
    }
  });
  it("SAFETENSORS_MAX_HEADER_BYTES is the reference implementation's 100 MB, enforced on parse", () => {
    expect(SAFETENSORS_MAX_HEADER_BYTES).toBe(100_000_000);
    const over = new Uint8Array(8);
    new DataView(over.buffer).setBigUint64(0, BigInt(SAFETENSORS_MAX_HEADER_BYTES + 1), true);
    expect(() => parseSafetensors(over, "big.st")).toThrow(/over the 100000000-byte limit/);
  });
  it("SafetensorsTensor ties each dtype to its typed array", () => {
    expectTypeOf<Extract<SafetensorsTensor, { dtype: "I64" }>["data"]>().toEqualTypeOf<BigInt64Array>();
    expectTypeOf<Extract<SafetensorsTensor, { dtype: "F16" }>["data"]>().toEqualTypeOf<Uint16Array>();
    expectTypeOf<Extract<SafetensorsTensor, { dtype: "F32" }>["data"]>().toEqualTypeOf<Float32Array>();
  });
});
