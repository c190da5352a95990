import { describe, expect, it } from "vitest";
import { DataType, makeTensor, toArray, toFloat32Array } from "../src/index";
import { hex, list } from "./_bytes";

describe("makeTensor and toFloat32Array convert values", () => {
  it("float16 / bfloat16 / float8 round to nearest even through @quantkit/numeric", () => {
    expect(hex(makeTensor("h", DataType.FLOAT16, [3], [1, 65504, 0.1]).rawData)).toBe("00 3c ff 7b 66 2e");
    expect(hex(makeTensor("b", DataType.BFLOAT16, [1], [1]).rawData)).toBe("80 3f");
    expect(hex(makeTensor("e", DataType.FLOAT8E4M3FN, [1], [448]).rawData)).toBe("7e");
    expect(Array.from(toFloat32Array(makeTensor("h", DataType.FLOAT16, [2], [1, 0.1])))).toEqual([
      1, 0.0999755859375,
    ]);
  });

  it("integers, int64 from bigints or safe integers, bool from booleans", () => {
    expect(list(toArray(makeTensor("i", DataType.INT4, [3], [-8, 0, 7])))).toEqual([-8, 0, 7]);
    expect(list(toArray(makeTensor("l", DataType.INT64, [2], [3n, -4])) as BigInt64Array)).toEqual([3n, -4n]);
    expect(list(toArray(makeTensor("b", DataType.BOOL, [2], [true, false])))).toEqual([1, 0]);
    expect(Array.from(toFloat32Array(makeTensor("l", DataType.INT64, [1], [-(2n ** 40n)])))).toEqual([
      -(2 ** 40),
    ]);
  });

  it("rejects values outside the type, naming tensor, value and index", () => {
    expect(() => makeTensor("w", DataType.INT8, [2], [1, 128])).toThrow(
      /makeTensor\("w"\): int8 value 128 at index 1 is not an integer in -128\.\.127/,
    );
    expect(() => makeTensor("w", DataType.INT4, [1], [8])).toThrow(
      /int4 value 8 at index 0 is outside -8\.\.7/,
    );
    expect(() => makeTensor("w", DataType.INT32, [1], [0.5])).toThrow(/int32 value 0\.5 at index 0/);
    expect(() => makeTensor("w", DataType.FLOAT, [3], [1, 2])).toThrow(
      /dims \[3\] hold 3 elements, data has 2/,
    );
  });
});
