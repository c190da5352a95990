import { describe, expect, it } from "vitest";
import { calculateGroupQParams, quantize } from "../src/index";

const f32 = Math.fround;
const x = new Float32Array([-1, 0, 0.5, 2]);

describe("bad input gets a clear error, never a silent NaN", () => {
  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    const x = new Float32Array(12);
    expect(() =>
      calculateGroupQParams(x, [3, 4], { axis: 1, groupSize: 2, qscheme: "per_tensor_affine" }),
    ).toThrow(/per-group qparams need qscheme per_channel_affine or per_channel_symmetric/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  it.each([
    [
      "calculateGroupQParams",
      () => calculateGroupQParams(x, [1, 4], { axis: 1, groupSize: 4, bitz: 1 } as never),
    ],
  ])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});

describe("per-group helpers", () => {
  it("groupMinMax and calculateGroupQParams lay out one pair per group, row-major", () => {
    const x = new Float32Array([1, -2, 3, 4, 0, 5, -6, 7]);
    const qparams = calculateGroupQParams(x, [2, 4], {
      axis: 1,
      groupSize: 2,
      dtype: "qint4",
      qscheme: "per_channel_symmetric",
    });
    expect(qparams.groupSize).toBe(2);
    expect(qparams.axis).toBe(1);
    // group (0, 0) = [1, -2]: scale = 2 / 7.5 (qint4 symmetric: absmax / ((7 - -8) / 2))
    expect(qparams.scale[0]).toBe(f32(2 / 7.5));
    // -2 / scale is -7.5 in exact arithmetic, but -2 * float32(1 / float32(2 / 7.5)) = -7.4999995 -> -7;
    // group (1, 1) = [-6, 7]: scale 7 / 7.5, -6 / scale = -6.43 -> -6
    expect(f32(-2 * f32(1 / qparams.scale[0]!))).toBeGreaterThan(-7.5);
    expect(Array.from(quantize(x, [2, 4], qparams))).toEqual([4, -7, 6, 7, 0, 7, -6, 7]);
  });
});
