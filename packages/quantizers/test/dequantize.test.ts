import { describe, expect, it } from "vitest";
import { calculateQParams, dequantize, type QParams, quantizePerTensor } from "../src/index";

const u8: QParams = calculateQParams(-1, 2);

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

describe("bad input gets a clear error, never a silent NaN", () => {
  it("empty tensors, shapes that do not match, non-Float32Array input", () => {
    expect(() => dequantize(new Uint8Array(5), [2, 3], u8)).toThrow(
      "q has 5 elements but shape [2, 3] needs 6",
    );
    // @ts-expect-error float codes
    expect(() => dequantize(new Float32Array(2), [2], u8)).toThrow(/q must be an integer typed array/);
  });
});

describe("codes and masks outside their range are errors (item 4)", () => {
  const qparams = calculateQParams(-1, 2);
  it("dequantize rejects a code above quantMax held in a wider array", () => {
    expect(() => dequantize(new Uint16Array([0, 300]), [2], qparams)).toThrow(
      /q\[1\] = 300 is outside \[quantMin, quantMax\] = \[0, 255\]/,
    );
    expect(() => dequantize(new Int8Array([-1]), [1], qparams)).toThrow(/q\[0\] = -1/);
    expect(() => dequantize(new Int32Array([256]), [1], qparams)).toThrow(/256/);
  });

  it("dequantize of valid codes is unchanged, whatever the array type", () => {
    const want = dequantize(new Uint8Array([0, 85, 255]), [3], qparams);
    expect(dequantize(new Uint16Array([0, 85, 255]), [3], qparams)).toEqual(want);
    expect(dequantize(new Int32Array([0, 85, 255]), [3], qparams)).toEqual(want);
    expect(Array.from(want)).toEqual([
      Math.fround(-85 * qparams.scale[0]!),
      0,
      Math.fround(170 * qparams.scale[0]!),
    ]);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  const qparams = calculateQParams(-1, 2);
  it.each([
    [
      "dequantize",
      () => dequantize(new Uint8Array(4), [4], qparams, { output: new Float32Array(4) } as never),
    ],
  ])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});
