import { describe, expect, it } from "vitest";
import { calculateQParams, FLOAT32_EPS, roundHalfToEven } from "../src/index";

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
});

describe("options objects reject unknown keys (item 8)", () => {
  it.each([["calculateQParams", () => calculateQParams(-1, 1, { bitz: 4 } as never)]])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});
