import { Linear } from "@quantkit/nn";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { applyToLinear, awq, linearWeight, quantizeBlockwise } from "../src/index";

describe("applyToLinear on @quantkit/nn's Linear (structural type, nn only in the test)", () => {
  it("writes the dequantized weight; AWQ's equivalent weight; a KN result transposed back", () => {
    const fc = new Linear(64, 8, { seed: 1 });
    const { weight, shape } = linearWeight(fc);
    expect(shape).toEqual([8, 64]);
    const original = weight.slice();
    const q = quantizeBlockwise(original, shape, { blockSize: 32 });
    applyToLinear(fc, q);
    expect(fc.weight.data).toEqual(q.dequantized);

    const kn = new Float32Array(64 * 8);
    for (let n = 0; n < 8; n++) for (let k = 0; k < 64; k++) kn[k * 8 + n] = original[n * 64 + k]!;
    applyToLinear(fc, quantizeBlockwise(kn, [64, 8], { blockSize: 32, layout: "KN" }));
    expect(fc.weight.data).toEqual(q.dequantized);

    const rng = new Rng(2);
    const x = Float32Array.from(
      { length: 32 * 64 },
      () => rng.normal(0, 1) * (1 + (rng.next() < 0.1 ? 10 : 0)),
    );
    const a = awq(original, shape, x, { blockSize: 32 });
    applyToLinear(fc, a);
    expect(fc.weight.data).toEqual(a.equivalentWeight);
    expect(() => applyToLinear(new Linear(32, 8), q)).toThrow(
      "the result is N = 8, K = 64; the layer is outFeatures = 8, inFeatures = 32",
    );
  });
});
