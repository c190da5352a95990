import { describe, expect, it } from "vitest";
import { DataType, fromArray, makeTensor, toFloat32Array } from "../src/index";

describe("makeTensor and toFloat32Array convert values", () => {
  it("decodes float4e2m1 and float8e8m0 codes to their values", () => {
    expect(
      Array.from(toFloat32Array(fromArray(new Uint8Array([1, 7, 0xf]), { dataType: DataType.FLOAT4E2M1 }))),
    ).toEqual([0.5, 6, -6]);
    expect(
      Array.from(
        toFloat32Array(fromArray(new Uint8Array([127, 130, 0xff]), { dataType: DataType.FLOAT8E8M0 })),
      ),
    ).toEqual([1, 8, Number.NaN]);
  });
});

describe("toFloat32Array", () => {
  it("float32 as it is; float64 and int64 beyond 2^24 round to the nearest float32; float16 decodes exactly", () => {
    expect(Array.from(toFloat32Array(makeTensor("f", DataType.FLOAT, [2], [0.5, -3])))).toEqual([0.5, -3]);
    expect(Array.from(toFloat32Array(makeTensor("d", DataType.DOUBLE, [1], [0.1])))).toEqual([
      Math.fround(0.1),
    ]);
    // 2^24 + 1 is halfway between two float32 values: ties to even, 2^24
    expect(
      Array.from(toFloat32Array(makeTensor("l", DataType.INT64, [2], [2n ** 24n + 1n, 2n ** 24n + 3n]))),
    ).toEqual([2 ** 24, 2 ** 24 + 4]);
    expect(
      Array.from(
        toFloat32Array(fromArray(new Uint16Array([0x0001, 0x7bff, 0xfc00]), { dataType: DataType.FLOAT16 })),
      ),
    ).toEqual([2 ** -24, 65504, Number.NEGATIVE_INFINITY]);
    expect(Array.from(toFloat32Array(makeTensor("u", DataType.UINT8, [2], [0, 255])))).toEqual([0, 255]);
  });
  it("complex and string tensors have no float32 value: an error naming the tensor", () => {
    expect(() =>
      toFloat32Array(fromArray(new Float32Array(2), { dataType: DataType.COMPLEX64, name: "c" })),
    ).toThrow('toFloat32Array("c"): complex64 has no real float32 value');
    expect(() => toFloat32Array(makeTensor("s", DataType.STRING, [1], ["a"]))).toThrow(
      'toFloat32Array("s"): string has no real float32 value',
    );
  });
});
