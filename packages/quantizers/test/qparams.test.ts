import { describe, expect, it } from "vitest";
import { calculateQParams, calculateQRange, FLOAT32_EPS, rangeForBits, roundHalfToEven } from "../src/index";

describe("roundHalfToEven", () => {
  it("rounds ties to the even neighbour like torch.round", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfToEven)).toEqual([
      0, 2, 2, 4, -0, -2, -2, 2, 3,
    ]);
  });
});

describe("calculateQRange follows PyTorch's calculate_qmin_qmax", () => {
  it("gives the dtype ranges, halves them with reduceRange, keeps custom ranges", () => {
    expect(calculateQRange("quint8")).toEqual({ quantMin: 0, quantMax: 255 });
    expect(calculateQRange("qint8")).toEqual({ quantMin: -128, quantMax: 127 });
    expect(calculateQRange("quint8", { reduceRange: true })).toEqual({ quantMin: 0, quantMax: 127 });
    expect(calculateQRange("qint8", { reduceRange: true })).toEqual({ quantMin: -64, quantMax: 63 });
    expect(calculateQRange("qint4")).toEqual({ quantMin: -8, quantMax: 7 });
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 15 })).toEqual({ quantMin: 0, quantMax: 15 });
    expect(rangeForBits(8, true, { narrowRange: true })).toEqual({ quantMin: -127, quantMax: 127 });
  });
  it("rejects bad custom ranges with the values in the message", () => {
    expect(() => calculateQRange("quint8", { quantMin: 3, quantMax: 3 })).toThrow(/quantMin=3, quantMax=3/);
    expect(() => calculateQRange("quint8", { quantMin: 1, quantMax: 9 })).toThrow(/must include 0/);
    expect(() => calculateQRange("quint8", { quantMin: 0, quantMax: 70000 })).toThrow(/65536/);
    expect(() => calculateQRange("quint8", { quantMin: 0 })).toThrow(/go together/);
    expect(() => rangeForBits(17, false)).toThrow(/bits must be an integer in 1..16, got 17/);
    // @ts-expect-error a dtype PyTorch does not have
    expect(() => calculateQRange("uint8")).toThrow(/dtype must be one of/);
  });
});

describe("calculateQParams", () => {
  it("affine quint8: the worked example [-1, 2]", () => {
    const q = calculateQParams(-1, 2);
    expect(q.scale[0]).toBe(Math.fround(3 / 255));
    // zero = 0 - round(-1 / (3/255)) = round(85) = 85
    expect(q.zeroPoint[0]).toBe(85);
  });
  it("is the deck's asymmetric formula when the range contains zero", () => {
    // deck: scale = (alpha - beta) / (2^n - 1), zero = -round(beta / scale), clamp to [0, 2^n - 1]
    for (const [lo, hi] of [
      [-50, 150],
      [-3.7, 0.2],
      [-0.001, 1000],
    ] as const) {
      const q = calculateQParams(lo, hi);
      const deckScale = Math.fround(Math.fround(hi - lo) / 255);
      expect(q.scale[0]).toBe(deckScale);
      expect(q.zeroPoint[0]).toBe(Math.min(255, Math.max(0, -roundHalfToEven(Math.fround(lo / deckScale)))));
    }
  });
  it("is the deck's symmetric formula with a narrow signed range", () => {
    // deck: scale = alpha / (2^(n-1) - 1), codes in [-(2^(n-1) - 1), 2^(n-1) - 1]
    const q = calculateQParams(-50, 150, {
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      quantMin: -127,
      quantMax: 127,
    });
    expect(q.scale[0]).toBe(Math.fround(150 / 127));
    expect(q.zeroPoint[0]).toBe(0);
  });
  it("symmetric zero points: 0 signed, 128 quint8, rounded-down midpoint for a custom unsigned range", () => {
    expect(calculateQParams(-1, 1, { dtype: "qint8", qscheme: "per_tensor_symmetric" }).zeroPoint[0]).toBe(0);
    const u8 = calculateQParams(-1, 1, { dtype: "quint8", qscheme: "per_tensor_symmetric" });
    expect(u8.zeroPoint[0]).toBe(128);
    expect(u8.scale[0]).toBe(Math.fround(1 / 127.5));
    expect(
      calculateQParams(-1, 1, { dtype: "quint8", qscheme: "per_tensor_symmetric", quantMin: 0, quantMax: 15 })
        .zeroPoint[0],
    ).toBe(7);
  });
  it("a range that excludes zero is widened to include it", () => {
    const q = calculateQParams(2, 5);
    expect(q.scale[0]).toBe(Math.fround(5 / 255));
    expect(q.zeroPoint[0]).toBe(0);
    const neg = calculateQParams(-5, -2);
    expect(neg.zeroPoint[0]).toBe(255);
  });
  it("a constant tensor gets scale eps (PyTorch's rule), never NaN", () => {
    const q = calculateQParams(0, 0);
    expect(q.scale[0]).toBe(Math.fround(FLOAT32_EPS));
    expect(q.zeroPoint[0]).toBe(0);
    const tiny = calculateQParams(-1e-12, 1e-12, { qscheme: "per_tensor_symmetric", dtype: "qint8" });
    expect(tiny.scale[0]).toBe(Math.fround(FLOAT32_EPS));
  });
  it("per channel: one pair per channel", () => {
    const q = calculateQParams([-1, -2], [1, 4], { dtype: "qint8", qscheme: "per_channel_symmetric" });
    expect(Array.from(q.scale)).toEqual([Math.fround(1 / 127.5), Math.fround(4 / 127.5)]);
    expect(Array.from(q.zeroPoint)).toEqual([0, 0]);
  });
  it("rejects NaN, min > max and a bad eps", () => {
    expect(() => calculateQParams(Number.NaN, 1)).toThrow(/minVal\[0\] = NaN/);
    expect(() => calculateQParams(2, 1)).toThrow(/greater than maxVal/);
    expect(() => calculateQParams(0, 1, { eps: 0 })).toThrow(/eps must be positive/);
    expect(() => calculateQParams([], [])).toThrow(/empty/);
  });
});
