import { describe, expect, it } from "vitest";
import { calculateQParams, type QParams, quantize, validateQParams } from "../src/index";

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
  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    expect(() => validateQParams(perChannel(), [4])).toThrow(/axis must be an integer in \[-1, 0\]/);
  });
});

describe("validateQParams(qparams, shape)", () => {
  const errorOf = (f: () => unknown): string | null => {
    try {
      f();
      return null;
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  const pc = calculateQParams([-1, -2], [1, 2], {
    dtype: "qint8",
    qscheme: "per_channel_symmetric",
    axis: 0,
  });
  const cases: Array<[string, QParams, number[]]> = [
    ["per tensor", calculateQParams(-1, 2), [3, 4]],
    ["per channel, axis 0", pc, [2, 16]],
    ["per channel, wrong channel count", pc, [3, 16]],
    ["per channel, axis -1", { ...pc, axis: -1 }, [16, 2]],
    ["per channel, axis out of range", { ...pc, axis: 2 }, [2, 16]],
    ["per group", { ...perChannel({ axis: 1, groupSize: 2 }) }, [1, 6]],
    ["per group, groupSize does not divide", perChannel({ axis: 1, groupSize: 4 }), [1, 6]],
    ["zero point out of range", { ...calculateQParams(-1, 2), zeroPoint: Int32Array.of(256) }, [4]],
    [
      "zero point not an integer",
      { ...calculateQParams(-1, 2), zeroPoint: Float64Array.of(1.5) as never },
      [4],
    ],
    ["scale 0", { ...calculateQParams(-1, 2), scale: Float32Array.of(0) }, [4]],
    [
      "scale 1e-40 (float32 reciprocal overflows)",
      { ...calculateQParams(-1, 2), scale: Float32Array.of(1e-40) },
      [4],
    ],
    [
      "quantMin = quantMax",
      { ...calculateQParams(-1, 2), quantMin: 3, quantMax: 3, zeroPoint: Int32Array.of(3) },
      [4],
    ],
    ["a range that does not suit the dtype", { ...calculateQParams(-1, 2), quantMax: 300 }, [4]],
    ["an unknown qscheme", { ...calculateQParams(-1, 2), qscheme: "affine" as never }, [4]],
    ["a negative dimension", calculateQParams(-1, 2), [2, -2]],
  ];

  it("throws exactly what quantize throws for the same qparams and shape, and passes what quantize takes", () => {
    const rows = cases.map(([what, q, shape]) => {
      const n = Math.max(
        0,
        shape.reduce((a, b) => a * b, 1),
      );
      const fromQuantize = errorOf(() => quantize(new Float32Array(n), shape, q));
      const fromValidate = errorOf(() => validateQParams(q, shape));
      expect([what, fromValidate]).toEqual([what, fromQuantize]);
      return [what, fromValidate === null];
    });
    // the four valid cases pass, every other one is refused
    expect(rows.filter(([, ok]) => ok).map(([what]) => what)).toEqual([
      "per tensor",
      "per channel, axis 0",
      "per channel, axis -1",
      "per group",
    ]);
  });

  it("the documented example: one scale per channel along the axis", () => {
    expect(() => validateQParams(pc, [2, 16])).not.toThrow();
    expect(() => validateQParams(pc, [3, 16])).toThrow(
      new RangeError("qparams.scale has 2 values, expected 3 (one per channel along the axis)"),
    );
  });
});
