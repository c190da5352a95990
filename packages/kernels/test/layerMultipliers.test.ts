import { describe, expect, it } from "vitest";
import {
  layerMultipliers,
  prepareQuantizedConv2d,
  prepareQuantizedLinear,
  quantizeMultiplier,
} from "../src/index";
import { TestRng } from "./_reference";

describe("layerMultipliers", () => {
  it("works the documented examples: quantizeMultiplier of fround(s_in * s_w[c]) / s_out", () => {
    const t = layerMultipliers({ inputScale: 0.02, weightScale: 0.01, outputScale: 0.05 });
    expect([Array.from(t.multiplier), Array.from(t.shift)]).toEqual([[1099511600], [-7]]);
    const q = quantizeMultiplier(Math.fround(0.02 * 0.01) / 0.05);
    expect([t.multiplier[0], t.shift[0]]).toEqual([q.multiplier, q.shift]);
    const c = layerMultipliers({ inputScale: 1, weightScale: new Float32Array([0.5, 0.25]), outputScale: 2 });
    expect([Array.from(c.multiplier), Array.from(c.shift)]).toEqual([
      [2 ** 30, 2 ** 30],
      [-1, -2],
    ]);
  });

  it("equals the multipliers prepareQuantizedLinear and prepareQuantizedConv2d put in their layers", () => {
    const rng = new TestRng(14);
    for (let trial = 0; trial < 50; trial++) {
      const channels = 1 + (trial % 7);
      const perChannel = trial % 2 === 1;
      const weightScale = perChannel
        ? Float32Array.from({ length: channels }, () => Math.fround(1e-4 + (rng.next() / 2 ** 32) * 0.1))
        : Math.fround(1e-4 + (rng.next() / 2 ** 32) * 0.1);
      const inputScale = Math.fround(1e-4 + (rng.next() / 2 ** 32) * 0.1);
      const outputScale = Math.fround(1e-3 + rng.next() / 2 ** 32);
      const expected = layerMultipliers({ inputScale, weightScale, outputScale });
      const common = { weightScale, inputScale, inputZeroPoint: 3, outputScale, outputZeroPoint: 7 };
      const linear = prepareQuantizedLinear({
        ...common,
        weight: new Int8Array(channels * 2),
        inFeatures: 2,
        outFeatures: channels,
      });
      const conv = prepareQuantizedConv2d({
        ...common,
        weight: new Int8Array(channels * 4),
        inChannels: 1,
        outChannels: channels,
        kernelSize: 2,
      });
      for (const layer of [linear, conv]) {
        expect(Array.from(layer.multiplier)).toEqual(Array.from(expected.multiplier));
        expect(Array.from(layer.shift)).toEqual(Array.from(expected.shift));
      }
    }
  });

  it("rejects bad scales and unknown keys, naming them", () => {
    expect(() => layerMultipliers({ inputScale: 0, weightScale: 1, outputScale: 1 })).toThrow(/inputScale/);
    expect(() =>
      layerMultipliers({ inputScale: 1, weightScale: new Float32Array([1, -1]), outputScale: 1 }),
    ).toThrow(/weightScale\[1\]/);
    expect(() => layerMultipliers({ inputScale: 1, weightScale: 1, outputScale: Number.NaN })).toThrow(
      /outputScale/,
    );
    expect(() =>
      layerMultipliers({ inputScale: 1, weightScale: 1, outputScale: 1, relu: true } as never),
    ).toThrow(/unknown key "relu"/);
    expect(() => layerMultipliers({ inputScale: 2 ** 20, weightScale: 2 ** 20, outputScale: 1e-6 })).toThrow(
      /is not a usable multiplier/,
    );
  });
});
