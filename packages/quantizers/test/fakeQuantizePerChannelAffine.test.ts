import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { fakeQuantizePerChannelAffine } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refFake, refPairIndex } from "./reference";

describe("bad input gets a clear error, never a silent NaN", () => {
  it("a scale that is not positive and finite (or whose float32 reciprocal overflows)", () => {
    const x = new Float32Array(2);
    expect(() => fakeQuantizePerChannelAffine(x, [2], [1, -1], [0, 0], 0, 0, 255)).toThrow(
      "scale[1] must be positive and finite",
    );
  });
});

describe("fakeQuantize", () => {
  it("fakeQuantizePerChannelAffine equals the per-element reference along any axis", () => {
    expect(
      Array.from(
        fakeQuantizePerChannelAffine(
          new Float32Array([0.3, 0.3, 9, 9]),
          [2, 2],
          [0.5, 0.25],
          [0, 0],
          1,
          -8,
          7,
        ),
      ),
    ).toEqual([0.5, 0.25, 3.5, 1.75]);
    const rng = new Rng(4);
    const shape = [3, 5, 70];
    for (const axis of [0, 1, 2, -1]) {
      const a = axis < 0 ? axis + 3 : axis;
      const channels = shape[a]!;
      const scale = Float32Array.from({ length: channels }, () => rng.uniform(0.01, 0.5));
      const zeroPoint = Int32Array.from({ length: channels }, () => rng.int(16));
      const x = new Float32Array(3 * 5 * 70).map(() => rng.uniform(-4, 4));
      const y = fakeQuantizePerChannelAffine(x, shape, scale, zeroPoint, axis, 0, 15);
      for (let e = 0; e < x.length; e++) {
        const p = refPairIndex(e, shape, a, undefined);
        expect(y[e]).toBe(refFake(x[e]!, scale[p]!, zeroPoint[p]!, 0, 15));
      }
    }
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      expect(() =>
        fakeQuantizePerChannelAffine(y, [10_000, 4], [1, 1, 1, 1], [0, 0, 0, 0], 1, 0, 255),
      ).toThrow(message);
    }
  });
});
