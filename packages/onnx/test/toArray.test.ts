import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  DataLocation,
  DataType,
  makeTensor,
  TensorProtoSchema,
  toArray,
  toFloat32Array,
  toStrings,
} from "../src/index";
import { list } from "./_bytes";

describe("toArray reads the typed fields as the spec defines them", () => {
  it("toArray returns a fresh copy, even from an unaligned raw_data view", () => {
    const buffer = new Uint8Array(9);
    buffer.set([0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], 0);
    const t = create(TensorProtoSchema, {
      dataType: DataType.FLOAT,
      dims: [2n],
      rawData: buffer.subarray(1),
    });
    const values = toArray(t);
    expect(list(values)).toEqual([1, 2]);
    expect(values.buffer).not.toBe(buffer.buffer);
  });

  it("float_data, double_data, int64_data, uint64_data", () => {
    const f = create(TensorProtoSchema, {
      dataType: DataType.FLOAT,
      dims: [2],
      floatData: [0.5, -1],
    } as never);
    expect(list(toArray(f))).toEqual([0.5, -1]);
    const d = create(TensorProtoSchema, { dataType: DataType.DOUBLE, dims: [1n], doubleData: [0.1] });
    expect(list(toArray(d))).toEqual([0.1]);
    const i = create(TensorProtoSchema, {
      dataType: DataType.INT64,
      dims: [2n],
      int64Data: [-5n, 9007199254740993n],
    });
    expect(list(toArray(i) as BigInt64Array)).toEqual([-5n, 9007199254740993n]);
    const u = create(TensorProtoSchema, { dataType: DataType.UINT32, dims: [1n], uint64Data: [4294967295n] });
    expect(list(toArray(u))).toEqual([4294967295]);
  });

  it("int32_data holds one element per entry for 8/16-bit types and bit patterns for float16", () => {
    const i8 = create(TensorProtoSchema, { dataType: DataType.INT8, dims: [2n], int32Data: [-128, 127] });
    expect(list(toArray(i8))).toEqual([-128, 127]);
    const h = create(TensorProtoSchema, { dataType: DataType.FLOAT16, dims: [1n], int32Data: [0x3c00] });
    expect(Array.from(toFloat32Array(h))).toEqual([1]);
  });

  it("int32_data holds two int4 elements per entry (one packed byte) and four int2", () => {
    const i4 = create(TensorProtoSchema, { dataType: DataType.INT4, dims: [3n], int32Data: [0xf1, 0x07] });
    expect(list(toArray(i4))).toEqual([1, -1, 7]);
    const u2 = create(TensorProtoSchema, { dataType: DataType.UINT2, dims: [5n], int32Data: [0x1b, 0x02] });
    expect(list(toArray(u2))).toEqual([3, 2, 1, 0, 2]);
  });

  it("strings come from string_data", () => {
    const t = makeTensor("s", DataType.STRING, [2], ["héllo", ""]);
    expect(toStrings(t)).toEqual(["héllo", ""]);
    expect(() => toArray(t)).toThrow(/a string tensor; read it with toStrings/);
  });
});

describe("toArray errors name the tensor and the value", () => {
  it("raw_data of the wrong length", () => {
    const t = create(TensorProtoSchema, {
      name: "w",
      dataType: DataType.FLOAT,
      dims: [3n],
      rawData: new Uint8Array(8),
    });
    expect(() => toArray(t)).toThrow(/toArray\("w"\): raw_data has 8 bytes, float32 dims \[3\] need 12/);
  });

  it("a typed field of the wrong length, an unknown type, external data, a negative dim", () => {
    const f = create(TensorProtoSchema, { name: "f", dataType: DataType.FLOAT, dims: [3n], floatData: [1] });
    expect(() => toArray(f)).toThrow(/float_data has 1 values, float32 dims \[3\] need 3/);
    expect(() => toArray(create(TensorProtoSchema, { name: "u", dataType: 99 }))).toThrow(
      /unknown or undefined data_type 99/,
    );
    const ext = create(TensorProtoSchema, {
      name: "e",
      dataType: DataType.FLOAT,
      dims: [1n],
      dataLocation: DataLocation.EXTERNAL,
      externalData: [{ key: "location", value: "w.bin" }] as never,
    });
    expect(() => toArray(ext)).toThrow(/the data is external \(location=w\.bin\); load it first/);
    const neg = create(TensorProtoSchema, { name: "n", dataType: DataType.FLOAT, dims: [-1n] });
    expect(() => toArray(neg)).toThrow(/bad dimension -1/);
  });
});
