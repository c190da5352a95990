import { Rng } from "@quantkit/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import {
  calculateGroupQParams,
  calculateQParams,
  dequantize,
  fakeQuantize,
  fakeQuantizePerChannelAffine,
  fakeQuantizePerTensorAffine,
  fakeQuantizeWithMask,
  groupMinMax,
  type QParams,
  quantize,
  quantizePerChannel,
  quantizePerTensor,
  rangeForBits,
  steMask,
  validateQParams,
} from "../src/index";

afterEach(() => {
  _setSimdEnabled(true);
});

const u8: QParams = calculateQParams(-1, 2);
const perChannel = (over: Partial<QParams> = {}): QParams => ({
  scale: Float32Array.of(0.1, 0.2, 0.3),
  zeroPoint: Int32Array.of(0, 0, 0),
  quantMin: -128,
  quantMax: 127,
  qscheme: "per_channel_affine",
  dtype: "qint8",
  axis: 1,
  ...over,
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    const x = new Rng(1).fillUniform(new Float32Array(40_000), -1, 1);
    for (const [index, bad] of [
      [0, Number.NaN],
      [17_000, Number.POSITIVE_INFINITY],
      [39_999, Number.NEGATIVE_INFINITY],
    ] as const) {
      const y = x.slice();
      y[index] = bad;
      if (index < 39_999) y[index + 1] = Number.NaN; // a later bad value is not the one reported
      const message = `x[${index}] is ${bad}; only finite values can be quantized`;
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => quantize(y, [y.length], u8)).toThrow(message);
        expect(() => quantizePerTensor(y, 0.1, 3, "qint8")).toThrow(message);
        expect(() => fakeQuantize(y, [y.length], u8)).toThrow(message);
        expect(() => fakeQuantizeWithMask(y, [y.length], u8)).toThrow(message);
        expect(() => fakeQuantizePerTensorAffine(y, 0.1, 0, 0, 255)).toThrow(message);
      }
      expect(() => steMask(y, [y.length], u8)).toThrow(message);
      expect(() => quantize(y, [y.length], u8, { rounding: "half_away_from_zero" })).toThrow(message);
      expect(() => quantize(y, [y.length], u8, { rounding: "stochastic", rng: new Rng(0) })).toThrow(message);
      expect(() => quantizePerTensor(y, 1, 0, "qint32")).toThrow(message);
      expect(() => quantizePerChannel(y, [4, 10_000], [1, 1, 1, 1], [0, 0, 0, 0], 0, "quint8")).toThrow(
        message,
      );
      expect(() =>
        fakeQuantizePerChannelAffine(y, [10_000, 4], [1, 1, 1, 1], [0, 0, 0, 0], 1, 0, 255),
      ).toThrow(message);
      expect(() => groupMinMax(y, [4, 10_000], 1, 100)).toThrow(message);
    }
  });

  it("empty tensors, shapes that do not match, non-Float32Array input", () => {
    expect(() => quantize(new Float32Array(0), [0], u8)).toThrow("x is empty (shape [0])");
    expect(() => quantizePerTensor(new Float32Array(0), 1, 0, "quint8")).toThrow(/x is empty/);
    expect(() => quantize(new Float32Array(6), [4, 2], u8)).toThrow(
      "x has 6 elements but shape [4, 2] needs 8",
    );
    expect(() => dequantize(new Uint8Array(5), [2, 3], u8)).toThrow(
      "q has 5 elements but shape [2, 3] needs 6",
    );
    // @ts-expect-error float64 input
    expect(() => quantize(new Float64Array(2), [2], u8)).toThrow(
      "x must be a Float32Array, got [object Float64Array]",
    );
    // @ts-expect-error float codes
    expect(() => dequantize(new Float32Array(2), [2], u8)).toThrow(/q must be an integer typed array/);
  });

  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    const x = new Float32Array(12);
    expect(() => quantize(x, [4, 3], perChannel({ axis: 2 }))).toThrow(
      "qparams.axis must be an integer in [-2, 1] for a rank-2 tensor, got 2",
    );
    expect(() => quantize(x, [4, 3], perChannel({ axis: 0 }))).toThrow(
      "qparams.scale has 3 values, expected 4 (one per channel along the axis)",
    );
    expect(() => quantize(x, [2, 6], perChannel({ axis: 1, groupSize: 4 }))).toThrow(
      "qparams.groupSize = 4 does not divide shape[1] = 6 (shape [2, 6])",
    );
    expect(() => quantize(x, [2, 6], perChannel({ axis: 1, groupSize: 0 }))).toThrow(
      "qparams.groupSize must be a positive integer, got 0",
    );
    expect(() => quantize(x, [12], { ...u8, groupSize: 4 })).toThrow(
      /groupSize needs a per_channel_affine or per_channel_symmetric qscheme/,
    );
    expect(() => quantize(x, [12], { ...u8, axis: 0 })).toThrow(
      /axis is set \(0\) but qscheme per_tensor_affine is per tensor/,
    );
    expect(() => quantizePerChannel(x, [4, 3], [1, 1, 1], [0, 0, 0], -3, "qint8")).toThrow(
      "axis must be an integer in [-2, 1]",
    );
    expect(() => groupMinMax(x, [3, 4], 1, 3)).toThrow("groupSize = 3 does not divide shape[1] = 4");
    expect(() =>
      calculateGroupQParams(x, [3, 4], { axis: 1, groupSize: 2, qscheme: "per_tensor_affine" }),
    ).toThrow(/per-group qparams need qscheme per_channel_affine or per_channel_symmetric/);
    expect(() => validateQParams(perChannel(), [4])).toThrow(/axis must be an integer in \[-1, 0\]/);
  });

  it("bits out of 1..16 and quantMin >= quantMax", () => {
    expect(() => rangeForBits(0, false)).toThrow("bits must be an integer in 1..16, got 0");
    expect(() => rangeForBits(17, true)).toThrow("bits must be an integer in 1..16, got 17");
    const x = new Float32Array(2);
    expect(() => quantize(x, [2], { ...u8, quantMin: 0, quantMax: 65536 })).toThrow(
      "the range [0, 65536] holds 65537 codes, more than 2^16: bits must be in 1..16 (qint32 excepted)",
    );
    expect(() => quantize(x, [2], { ...u8, quantMin: 5, quantMax: 5, zeroPoint: Int32Array.of(5) })).toThrow(
      "qparams.quantMin must be less than qparams.quantMax, got quantMin=5, quantMax=5",
    );
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, 3, 2)).toThrow(
      "quantMin must be less than quantMax, got quantMin=3, quantMax=2",
    );
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, -1.5, 2)).toThrow(
      "quantMin must be an integer, got -1.5",
    );
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, 0, 2 ** 32)).toThrow(/must lie in the int32 range/);
  });

  it("a scale that is not positive and finite (or whose float32 reciprocal overflows)", () => {
    const x = new Float32Array(2);
    for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e-39, 1e-50]) {
      expect(() => quantizePerTensor(x, bad, 0, "quint8")).toThrow(`scale[0] must be positive and finite`);
      expect(() => quantize(x, [2], { ...u8, scale: Float32Array.of(bad) })).toThrow(
        /qparams\.scale\[0\] must be positive and finite/,
      );
    }
    expect(() => quantizePerTensor(x, 1e-50, 0, "quint8")).toThrow(/got 1e-50/);
    expect(() => fakeQuantizePerChannelAffine(x, [2], [1, -1], [0, 0], 0, 0, 255)).toThrow(
      "scale[1] must be positive and finite",
    );
    // @ts-expect-error a string scale
    expect(() => quantizePerTensor(x, "0.1", 0, "quint8")).toThrow("scale must be a number, got string");
  });

  it("a zero point outside [quantMin, quantMax] or not an integer", () => {
    const x = new Float32Array(2);
    expect(() => quantizePerTensor(x, 0.1, 256, "quint8")).toThrow(
      "zeroPoint[0] = 256 is outside [quantMin, quantMax] = [0, 255]",
    );
    expect(() => quantizePerTensor(x, 0.1, -1, "quint8")).toThrow(
      "zeroPoint[0] = -1 is outside [quantMin, quantMax] = [0, 255]",
    );
    expect(() => quantizePerTensor(x, 0.1, 0.5, "qint8")).toThrow("zeroPoint[0] must be an integer, got 0.5");
    expect(() => fakeQuantizePerTensorAffine(x, 0.1, 16, 0, 15)).toThrow(
      "zeroPoint[0] = 16 is outside [quantMin, quantMax] = [0, 15]",
    );
    expect(() => quantize(x, [2], { ...u8, zeroPoint: Int32Array.of(300) })).toThrow(
      "qparams.zeroPoint[0] = 300 is outside",
    );
  });

  it("bad names, stochastic rounding without an rng, a wrong out array", () => {
    const x = new Float32Array(2);
    // @ts-expect-error unknown dtype
    expect(() => quantizePerTensor(x, 1, 0, "uint8")).toThrow(/dtype must be one of quint8, qint8/);
    // @ts-expect-error unknown qscheme
    expect(() => quantize(x, [2], { ...u8, qscheme: "affine" })).toThrow(/qparams.qscheme must be one of/);
    // @ts-expect-error unknown rounding
    expect(() => quantize(x, [2], u8, { rounding: "nearest" })).toThrow(
      /options.rounding must be one of half_to_even/,
    );
    expect(() => quantize(x, [2], u8, { rounding: "stochastic" })).toThrow(
      'rounding "stochastic" needs options.rng',
    );
    expect(() => quantize(x, [2], u8, { out: new Int8Array(2) })).toThrow(
      "options.out must be a Uint8Array of length 2 for codes in [0, 255], got Int8Array(2)",
    );
    expect(() => fakeQuantize(x, [2], u8, { out: new Float32Array(3) })).toThrow(
      /options.out must be a Float32Array of length 2/,
    );
    expect(() => fakeQuantizeWithMask(x, [2], u8, { mask: new Uint8Array(1) })).toThrow(
      /options.mask must be a Uint8Array of length 2/,
    );
  });

  it("never returns NaN for finite input: a constant tensor gets scale eps and exact zeros", () => {
    const x = new Float32Array(300).fill(0);
    const qparams = calculateQParams(0, 0);
    const y = fakeQuantize(x, [300], qparams);
    expect(y.every((v) => Object.is(v, 0))).toBe(true);
    const c = new Float32Array(300).fill(3e38);
    expect(fakeQuantize(c, [300], qparams).every((v) => Number.isFinite(v))).toBe(true);
  });
});
