import { describe, expect, it } from "vitest";
import { calculateQParams, fakeQuantize, fakeQuantizeWithMask, type QParams, steMask } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode } from "./reference";

const x = new Float32Array([-1, 0, 0.5, 2]);
const u8: QParams = calculateQParams(-1, 2);

const sameBits = (a: Float32Array, b: Float32Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

describe("calculateQParams rejects what float32 cannot hold (item 3)", () => {
  it("quantize, fakeQuantize and steMask refuse qparams whose range does not suit their dtype", () => {
    const bad: QParams = {
      scale: new Float32Array([0.01]),
      zeroPoint: new Int32Array([0]),
      quantMin: 0,
      quantMax: 300,
      qscheme: "per_tensor_affine",
      dtype: "quint8",
    };
    expect(() => steMask(x, [4], bad)).toThrow(/does not suit dtype quint8/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  const qparams = calculateQParams(-1, 2);
  it.each([["steMask", () => steMask(x, [4], qparams, { bits: 8 } as never)]])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});

describe("the straight-through estimator", () => {
  it("masks on the rounded code like PyTorch's cachemask: half a step past the last code still passes", () => {
    const qparams = calculateQParams(-1, 2); // inv = 85, zeroPoint 85: codes cover [-1, 2]
    // 2.005 * 85 = 170.4 -> code 255 (in range); 2.0059 * 85 = 170.50 -> rounds to 171 -> code 256 (out)
    const x = new Float32Array([-1.0058, -1.0059, 0, 2.0058, 2.0059, 5, -5]);
    for (let i = 0; i < x.length; i++)
      expect(refCode(x[i]!, qparams.scale[0]!, 85, 0, 255).inRange).toBe([1, 0, 1, 1, 0, 0, 0][i] === 1);
    expect(Array.from(steMask(x, [x.length], qparams))).toEqual([1, 0, 1, 1, 0, 0, 0]);
    const { output, mask } = fakeQuantizeWithMask(x, [x.length], qparams);
    expect(Array.from(mask)).toEqual([1, 0, 1, 1, 0, 0, 0]);
    expect(sameBits(output, fakeQuantize(x, [x.length], qparams))).toBe(true);
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      expect(() => steMask(y, [y.length], u8)).toThrow(message);
    }
  });
});
