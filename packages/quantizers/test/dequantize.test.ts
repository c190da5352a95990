import { describe, expect, it } from "vitest";
import { calculateQParams, dequantize, quantizePerTensor } from "../src/index";

describe("dequantize", () => {
  it("gives float32((q - zeroPoint) * scale), codes outside the range included", () => {
    const q = calculateQParams(-1, 2);
    expect(Array.from(dequantize(new Uint8Array([0, 85, 128, 255]), [4], q))).toEqual([
      -1,
      0,
      Math.fround(43 * q.scale[0]!),
      2,
    ]);
    // qint32: (q - zeroPoint) is rounded to float32 first, as fbgemm's Dequantize converts the int32 difference
    const wide = {
      ...calculateQParams(-1, 1, { dtype: "qint32" }),
      scale: Float32Array.of(1),
      zeroPoint: Int32Array.of(0),
    };
    const codes = Int32Array.of(2147483647, 16777217, -16777219);
    expect(Array.from(dequantize(codes, [3], wide))).toEqual([2147483648, 16777216, -16777220]);
    expect(Array.from(quantizePerTensor(Float32Array.of(2147483648), 1, 0, "qint32"))).toEqual([2147483647]);
  });
});
