import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { quantizePerTensor } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode } from "./reference";

afterEach(() => {
  _setSimdEnabled(true);
});

const f32 = Math.fround;

describe("bad input gets a clear error, never a silent NaN", () => {
  it("empty tensors, shapes that do not match, non-Float32Array input", () => {
    expect(() => quantizePerTensor(new Float32Array(0), 1, 0, "quint8")).toThrow(/x is empty/);
  });

  it("a scale that is not positive and finite (or whose float32 reciprocal overflows)", () => {
    const x = new Float32Array(2);
    for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e-39, 1e-50]) {
      expect(() => quantizePerTensor(x, bad, 0, "quint8")).toThrow(`scale[0] must be positive and finite`);
    }
    expect(() => quantizePerTensor(x, 1e-50, 0, "quint8")).toThrow(/got 1e-50/);
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
  });

  it("bad names, stochastic rounding without an rng, a wrong out array", () => {
    const x = new Float32Array(2);
    // @ts-expect-error unknown dtype
    expect(() => quantizePerTensor(x, 1, 0, "uint8")).toThrow(/dtype must be one of quint8, qint8/);
  });
});

describe("quantize equals the slow reference bit for bit", () => {
  it("quantizePerTensor equals the reference on random float32 inputs (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 1, maxLength: 600, noNaN: true, noDefaultInfinity: true }),
        fc.float({ min: f32(1e-6), max: 1e4, noNaN: true }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (x, scale, zeroPoint, simd) => {
          _setSimdEnabled(simd);
          const codes = quantizePerTensor(x, scale, zeroPoint, "quint8");
          for (let i = 0; i < x.length; i++) {
            if (codes[i] !== refCode(x[i]!, scale, zeroPoint, 0, 255).q) return false;
          }
          const signed = quantizePerTensor(x, scale, zeroPoint - 128, "qint8");
          for (let i = 0; i < x.length; i++) {
            if (signed[i] !== refCode(x[i]!, scale, zeroPoint - 128, -128, 127).q) return false;
          }
          return true;
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => quantizePerTensor(y, 0.1, 3, "qint8")).toThrow(message);
      }
      expect(() => quantizePerTensor(y, 1, 0, "qint32")).toThrow(message);
    }
  });
});
