import { describe, expect, it } from "vitest";
import { DataType, dataTypeBits, dataTypeName, minIrVersionForDataType } from "../src/index";

describe("data type table", () => {
  it("names, bits and the IR version that introduced each type", () => {
    expect([
      dataTypeName(DataType.FLOAT8E5M2FNUZ),
      dataTypeBits(DataType.UINT4),
      minIrVersionForDataType(DataType.INT4),
    ]).toEqual(["float8e5m2fnuz", 4, 10]);
    expect(minIrVersionForDataType(DataType.INT2)).toBe(13);
    expect(() => dataTypeName(0)).toThrow(/unknown ONNX data type 0/);
  });
});

describe("DataType codes follow onnx.proto's TensorProto.DataType", () => {
  it("codes, names and bits of every type, float32 (1) to int2 (26)", () => {
    const table = Array.from({ length: 26 }, (_, i) => [i + 1, dataTypeName(i + 1), dataTypeBits(i + 1)]);
    expect(table).toEqual([
      [1, "float32", 32],
      [2, "uint8", 8],
      [3, "int8", 8],
      [4, "uint16", 16],
      [5, "int16", 16],
      [6, "int32", 32],
      [7, "int64", 64],
      [8, "string", 0],
      [9, "bool", 8],
      [10, "float16", 16],
      [11, "float64", 64],
      [12, "uint32", 32],
      [13, "uint64", 64],
      [14, "complex64", 64],
      [15, "complex128", 128],
      [16, "bfloat16", 16],
      [17, "float8e4m3fn", 8],
      [18, "float8e4m3fnuz", 8],
      [19, "float8e5m2", 8],
      [20, "float8e5m2fnuz", 8],
      [21, "uint4", 4],
      [22, "int4", 4],
      [23, "float4e2m1", 4],
      [24, "float8e8m0", 8],
      [25, "uint2", 2],
      [26, "int2", 2],
    ]);
    expect([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.INT4, DataType.INT2]).toEqual([
      1, 10, 16, 22, 26,
    ]);
  });
  it("the IR version that introduced each type: bfloat16 4, float8 9, 4-bit ints 10, float4 11, e8m0 12, 2-bit ints 13", () => {
    expect(
      [DataType.FLOAT, DataType.BFLOAT16, DataType.FLOAT8E4M3FN, DataType.UINT4, DataType.FLOAT4E2M1].map(
        minIrVersionForDataType,
      ),
    ).toEqual([1, 4, 9, 10, 11]);
    expect([DataType.FLOAT8E8M0, DataType.UINT2].map(minIrVersionForDataType)).toEqual([12, 13]);
    expect(() => dataTypeBits(27)).toThrow(/unknown ONNX data type 27/);
  });
});
