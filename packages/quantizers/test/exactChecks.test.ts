// Issue 15, items 3, 4 and 8: numbers that become 0 or Infinity in float32, codes outside their range,
// masks that are not 0/1 and unknown option keys are errors, never silent results.
import { describe, expect, it } from "vitest";
import {
  calculateGroupQParams,
  calculateQParams,
  calculateQRange,
  dequantize,
  fakeQuantize,
  fakeQuantizeBackward,
  type QParams,
  quantize,
  rangeForBits,
  steMask,
  unpackInt4,
} from "../src/index";

const x = new Float32Array([-1, 0, 0.5, 2]);

describe("calculateQParams rejects what float32 cannot hold (item 3)", () => {
  it("a range too wide for a finite float32 scale is an error, not scale Infinity", () => {
    expect(() => calculateQParams(-3e38, 3e38)).toThrow(
      /the range \[-3\.\d+e\+38, 3\.\d+e\+38\] gives scale Infinity: its span overflows float32/,
    );
    // Symmetric halves the span first: 3e38 / 127.5 is a finite float32 scale.
    expect(calculateQParams(-3e38, 3e38, { qscheme: "per_tensor_symmetric", dtype: "qint8" }).scale[0]).toBe(
      Math.fround(Math.fround(3e38) / 127.5),
    );
  });
  it("an eps that is 0 or subnormal in float32 is an error (1e-50 would give scale 0)", () => {
    expect(() => calculateQParams(0, 0, { eps: 1e-50 })).toThrow(
      /eps must be positive and finite in float32.*1e-50/,
    );
    expect(() => calculateQParams(0, 0, { eps: 1e-40 })).toThrow(/eps/);
    expect(calculateQParams(0, 0, { eps: 1e-30 }).scale[0]).toBe(Math.fround(1e-30));
  });
  it("a per-tensor qscheme takes exactly one min/max", () => {
    expect(() => calculateQParams([-1, -2], [1, 2])).toThrow(
      /per tensor and takes one minVal\/maxVal, got 2/,
    );
    expect(calculateQParams([-1], [1]).scale).toHaveLength(1);
  });
  it("groupSize needs a per-channel qscheme", () => {
    expect(() => calculateQParams(-1, 1, { groupSize: 4 })).toThrow(/groupSize \(4\) needs a per_channel/);
  });
  it("a custom range must suit the dtype: quint8 0..300 and qint8 0..255 are errors; wider whole bit widths pass", () => {
    expect(() => calculateQRange("quint8", { quantMin: 0, quantMax: 300 })).toThrow(
      /does not suit dtype quint8/,
    );
    expect(() => calculateQRange("qint8", { quantMin: 0, quantMax: 255 })).toThrow(
      /does not suit dtype qint8/,
    );
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 65535 })).toEqual({
      quantMin: 0,
      quantMax: 65535,
    });
    expect(calculateQRange("qint8", { quantMin: -32767, quantMax: 32767 })).toEqual({
      quantMin: -32767,
      quantMax: 32767,
    });
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 100 })).toEqual({ quantMin: 0, quantMax: 100 });
  });
  it("quantize, fakeQuantize and steMask refuse qparams whose range does not suit their dtype", () => {
    const bad: QParams = {
      scale: new Float32Array([0.01]),
      zeroPoint: new Int32Array([0]),
      quantMin: 0,
      quantMax: 300,
      qscheme: "per_tensor_affine",
      dtype: "quint8",
    };
    expect(() => quantize(x, [4], bad)).toThrow(/does not suit dtype quint8/);
    expect(() => fakeQuantize(x, [4], bad)).toThrow(/does not suit dtype quint8/);
    expect(() => steMask(x, [4], bad)).toThrow(/does not suit dtype quint8/);
    const signed = { ...bad, quantMax: 255, dtype: "qint8" as const };
    expect(() => quantize(x, [4], signed)).toThrow(/does not suit dtype qint8/);
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
  it("fakeQuantizeBackward rejects a mask value other than 0 and 1 (2 would double the gradient)", () => {
    const g = new Float32Array([1, 1]);
    expect(Array.from(fakeQuantizeBackward(g, new Uint8Array([1, 0])))).toEqual([1, 0]);
    expect(() => fakeQuantizeBackward(g, new Uint8Array([1, 2]))).toThrow(/mask\[1\] = 2/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  const qparams = calculateQParams(-1, 2);
  it.each([
    ["calculateQParams", () => calculateQParams(-1, 1, { bitz: 4 } as never)],
    [
      "calculateGroupQParams",
      () => calculateGroupQParams(x, [1, 4], { axis: 1, groupSize: 4, bitz: 1 } as never),
    ],
    ["calculateQRange", () => calculateQRange("quint8", { reduce: true } as never)],
    ["rangeForBits", () => rangeForBits(4, true, { narrow: true } as never)],
    ["quantize", () => quantize(x, [4], qparams, { round: "half_to_even" } as never)],
    [
      "dequantize",
      () => dequantize(new Uint8Array(4), [4], qparams, { output: new Float32Array(4) } as never),
    ],
    ["fakeQuantize", () => fakeQuantize(x, [4], qparams, { rounding: "half_to_even", seed: 1 } as never)],
    ["steMask", () => steMask(x, [4], qparams, { bits: 8 } as never)],
    ["fakeQuantizeBackward", () => fakeQuantizeBackward(x, new Uint8Array(4), { outt: x } as never)],
    ["unpackInt4", () => unpackInt4(new Uint8Array(2), { lenght: 3 } as never)],
  ])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});

describe("a value of the wrong type is shown as what it is (item 18)", () => {
  it('bits: "8" reads got "8", not got 8', () => {
    expect(() => rangeForBits("8" as never, false)).toThrow('bits must be an integer in 1..16, got "8"');
    expect(() => calculateQRange("quint8", { quantMin: "0" as never, quantMax: 255 })).toThrow(
      'quantMin must be an integer, got "0"',
    );
  });
});
