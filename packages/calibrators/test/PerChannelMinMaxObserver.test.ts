import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrossEntropyObserver, createObserver, MinMaxObserver, PerChannelMinMaxObserver } from "../src/index";
import { expectTorchMinMax, torchCases, vectors } from "./_torchVectors";

const f32 = Math.fround;

describe("PerChannelMinMaxObserver", () => {
  // x[o][c][i] = 12 o + 4 c + i, shape [2, 3, 4]
  const x = Float32Array.from({ length: 24 }, (_, k) => k);
  const shape = [2, 3, 4];

  it("reduces every axis but chAxis: 0, 1, 2 and -1", () => {
    const along = (chAxis: number) => {
      const o = new PerChannelMinMaxObserver({ chAxis });
      o.observe(x, shape);
      return [Array.from(o.minVal), Array.from(o.maxVal)];
    };
    expect(along(0)).toEqual([
      [0, 12],
      [11, 23],
    ]);
    expect(along(1)).toEqual([
      [0, 4, 8],
      [15, 19, 23],
    ]);
    expect(along(2)).toEqual([
      [0, 1, 2, 3],
      [20, 21, 22, 23],
    ]);
    expect(along(-1)).toEqual(along(2));
  });

  it("one scale and zero point per channel, with the axis in the qparams", () => {
    const o = new PerChannelMinMaxObserver({ chAxis: 0, dtype: "qint8", qscheme: "per_channel_symmetric" });
    o.observe(new Float32Array([1, -2, 0.5, 0.25]), [2, 2]);
    o.observe(new Float32Array([0.1, 0.2, -0.75, 0]), [2, 2]);
    expect(Array.from(o.minVal)).toEqual([-2, -0.75]);
    expect(Array.from(o.maxVal)).toEqual([1, 0.5]);
    const q = o.calculateQParams();
    expect(Array.from(q.scale)).toEqual([f32(2 / 127.5), f32(0.75 / 127.5)]);
    expect(Array.from(q.zeroPoint)).toEqual([0, 0]);
    expect(q.axis).toBe(0);
    expect(q.qscheme).toBe("per_channel_symmetric");
  });

  it("per channel equals MinMaxObserver on each channel's values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: -3, max: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (a, b, c, axis, seed) => {
          const shp = [a, b, c];
          const n = a * b * c;
          const data = Float32Array.from({ length: n }, (_, k) => Math.sin(seed + k * 1.7) * (k % 5));
          const o = new PerChannelMinMaxObserver({ chAxis: axis });
          o.observe(data, shp);
          const ax = axis < 0 ? axis + 3 : axis;
          const strides = [b * c, c, 1];
          for (let ch = 0; ch < shp[ax]!; ch++) {
            const m = new MinMaxObserver();
            const vals: number[] = [];
            for (let k = 0; k < n; k++)
              if (Math.floor(k / strides[ax]!) % shp[ax]! === ch) vals.push(data[k]!);
            m.observe(Float32Array.from(vals));
            // (+ 0 equates -0 and 0: which of the two a min keeps depends on the order it meets them)
            expect([o.minVal[ch]! + 0, o.maxVal[ch]! + 0]).toEqual([m.minVal + 0, m.maxVal + 0]);
            expect(o.calculateQParams().scale[ch]).toBe(m.calculateQParams().scale[0]);
            expect(o.calculateQParams().zeroPoint[ch]).toBe(m.calculateQParams().zeroPoint[0]);
          }
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
});

describe("bad input gets a clear error naming the observer, never a silent NaN", () => {
  it("chAxis out of range for the batch's rank, and a channel count that changes", () => {
    const o = new PerChannelMinMaxObserver({ chAxis: 2 });
    expect(() => o.observe(new Float32Array(6), [2, 3])).toThrow(
      /PerChannelMinMaxObserver: batch 0 \(shape \[2, 3\]\): chAxis must be an integer in \[-2, 1\] for a rank-2 tensor, got 2/,
    );
    expect(() => new PerChannelMinMaxObserver({ chAxis: 0.5 })).toThrow(/chAxis must be an integer, got 0.5/);
    const p = createObserver("per_channel_percentile", { chAxis: -1 });
    p.observe(new Float32Array(6), [2, 3]);
    expect(() => p.observe(new Float32Array(4), [2, 2])).toThrow(
      /batch 1 has 2 channels along chAxis -1, earlier batches had 3/,
    );
    expect(() => new CrossEntropyObserver({ axis: 3 }).observe(new Float32Array(4), [2, 2])).toThrow(
      /axis must be an integer in \[-2, 1\]/,
    );
  });
});

describe(`observers agree with PyTorch ${vectors.torch} (test/vectors/torch-observers.json)`, () => {
  it.each(torchCases("PerChannelMinMaxObserver"))(
    "%s: min/max exact, scale within 1 ulp, zero point exact",
    (_, c) => expectTorchMinMax(c),
  );
});
