import { Rng } from "@quantkit/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { fakeQuantizePerTensorAffine } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode } from "./reference";

afterEach(() => {
  _setSimdEnabled(true);
});

const f32 = Math.fround;

describe("bad input gets a clear error, never a silent NaN", () => {
  it("bits out of 1..16 and quantMin >= quantMax", () => {
    const x = new Float32Array(2);
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, 3, 2)).toThrow(
      "quantMin must be less than quantMax, got quantMin=3, quantMax=2",
    );
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, -1.5, 2)).toThrow(
      "quantMin must be an integer, got -1.5",
    );
    expect(() => fakeQuantizePerTensorAffine(x, 1, 0, 0, 2 ** 32)).toThrow(/must lie in the int32 range/);
  });

  it("a zero point outside [quantMin, quantMax] or not an integer", () => {
    const x = new Float32Array(2);
    expect(() => fakeQuantizePerTensorAffine(x, 0.1, 16, 0, 15)).toThrow(
      "zeroPoint[0] = 16 is outside [quantMin, quantMax] = [0, 15]",
    );
  });
});

describe("fakeQuantize", () => {
  it("fakeQuantizePerTensorAffine matches PyTorch's formula, including 32-bit ranges", () => {
    expect(
      Array.from(fakeQuantizePerTensorAffine(new Float32Array([0.3, 0.74, 9, -9]), 0.5, 0, -8, 7)),
    ).toEqual([0.5, 0.5, 3.5, -4]);
    const rng = new Rng(2);
    const x = new Float32Array(5000).map(() => rng.uniform(-1e9, 1e9));
    const y = fakeQuantizePerTensorAffine(x, 3, 17, -2147483648, 2147483647);
    for (let i = 0; i < x.length; i++) {
      const { q } = refCode(x[i]!, 3, 17, -2147483648, 2147483647);
      // per tensor: (q - zp) is converted to float32 before the float32 multiply
      expect(y[i]).toBe(f32(f32(q - 17) * 3));
    }
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => fakeQuantizePerTensorAffine(y, 0.1, 0, 0, 255)).toThrow(message);
      }
    }
  });
});
