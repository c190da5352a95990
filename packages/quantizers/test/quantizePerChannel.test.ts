import { Rng } from "@quantkit/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { quantizePerChannel } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode, refPairIndex, stressValues } from "./reference";

afterEach(() => {
  _setSimdEnabled(true);
});

/** Both kernels: the WebAssembly SIMD one (where available) and the JS one. */
const KERNELS = [
  ["simd", true],
  ["js", false],
] as const;

describe("bad input gets a clear error, never a silent NaN", () => {
  it("axis out of range, groupSize that does not divide the axis, groupSize with a per-tensor qscheme", () => {
    const x = new Float32Array(12);
    expect(() => quantizePerChannel(x, [4, 3], [1, 1, 1], [0, 0, 0], -3, "qint8")).toThrow(
      "axis must be an integer in [-2, 1]",
    );
  });
});

describe("quantize equals the slow reference bit for bit", () => {
  it("quantizePerChannel equals the reference; long rows take the SIMD kernel, short ones the JS kernel", () => {
    const rng = new Rng(5);
    for (const [shape, axis] of [
      [[3, 1000], 0],
      [[1000, 3], 1],
      [[2, 3, 300], -2],
    ] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const channels = shape[axis < 0 ? axis + shape.length : axis]!;
      const scales = Float64Array.from({ length: channels }, () => rng.uniform(0.001, 0.1));
      const zeroPoints = Int32Array.from({ length: channels }, () => rng.int(256));
      const x = stressValues(rng, n, 0.05);
      for (const [, simd] of KERNELS) {
        _setSimdEnabled(simd);
        const codes = quantizePerChannel(x, shape, scales, zeroPoints, axis, "quint8");
        expect(codes).toBeInstanceOf(Uint8Array);
        for (let e = 0; e < n; e++) {
          const p = refPairIndex(e, shape, axis < 0 ? axis + shape.length : axis, undefined);
          expect(codes[e]).toBe(refCode(x[e]!, scales[p]!, zeroPoints[p]!, 0, 255).q);
        }
      }
    }
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      expect(() => quantizePerChannel(y, [4, 10_000], [1, 1, 1, 1], [0, 0, 0, 0], 0, "quint8")).toThrow(
        message,
      );
    }
  });
});
