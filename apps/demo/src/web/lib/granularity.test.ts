import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { compareGranularity, groupSizesFor } from "./granularity";

const f32 = Math.fround;

describe("compareGranularity", () => {
  it("per tensor, one large row flattens a small one; per channel does not (worked by hand)", () => {
    const w = new Float32Array([1, -1, 0.5, -0.5, 100, -100, 50, -50]);
    const [tensor, channel, group] = compareGranularity(w, [2, 4], 8, 2);
    expect(tensor!.scales).toBe(1);
    expect(channel!.scales).toBe(2);
    expect(group!.scales).toBe(4);
    // per tensor: scale = 100 / 127.5; row 0 codes round(±1 / s) = ±1 and round(±0.5 / s) = ±1
    const s = f32(100 / 127.5);
    const row0 = [s, -s, s, -s].map(f32);
    const expected = [1, -1, 0.5, -0.5].reduce((acc, v, i) => acc + (v - row0[i]!) ** 2, 0) / 4;
    expect(tensor!.channelMse[0]).toBeCloseTo(expected, 12);
    // per channel: row 0 has scale 1 / 127.5, its error is tiny
    expect(channel!.qparams.scale[0]).toBe(f32(1 / 127.5));
    expect(channel!.channelMse[0]).toBeLessThan(expected / 1000);
    // row 1 is the same for both: its range sets the per-tensor scale
    expect(channel!.channelMse[1]).toBeCloseTo(tensor!.channelMse[1]!, 12);
    // 8 weights at 8 bits + float32 scales
    expect(tensor!.bytes).toBe(8 + 4);
    expect(group!.bytes).toBe(8 + 16);
  });

  it("finer granularity never loses on rows of different ranges", () => {
    const rng = new Rng(3);
    const out = 16;
    const inF = 64;
    const w = new Float32Array(out * inF);
    for (let r = 0; r < out; r++)
      for (let c = 0; c < inF; c++) w[r * inF + c] = rng.normal(0, 0.01 * (r + 1));
    const [tensor, channel, group] = compareGranularity(w, [out, inF], 4, 16);
    expect(channel!.mse).toBeLessThan(tensor!.mse);
    expect(group!.mse).toBeLessThan(channel!.mse);
    expect(group!.sqnr).toBeGreaterThan(channel!.sqnr);
  });

  it("checks its arguments", () => {
    expect(() => compareGranularity(new Float32Array(6), [2, 3], 4, 2)).toThrow(
      "groupSize must divide inFeatures (3), got 2",
    );
    expect(() => compareGranularity(new Float32Array(6), [2, 3], 9, 3)).toThrow(RangeError);
  });
});

describe("groupSizesFor", () => {
  it("lists the divisors in [4, n / 2]", () => {
    expect(groupSizesFor(100)).toEqual([4, 5, 10, 20, 25, 50]);
    expect(groupSizesFor(784)).toEqual([4, 7, 8, 14, 16, 28, 49, 56, 98, 112, 196, 392]);
  });
});
