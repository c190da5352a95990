import { describe, expect, it } from "vitest";
import { MovingAveragePerChannelMinMaxObserver } from "../src/index";
import { expectTorchMinMax, torchCases, vectors } from "./_torchVectors";

describe("MovingAveragePerChannelMinMaxObserver", () => {
  it("moves each channel by c after the first batch", () => {
    const o = new MovingAveragePerChannelMinMaxObserver({ chAxis: 1, averagingConstant: 0.5 });
    o.observe(new Float32Array([0, 0, 4, 8]), [2, 2]); // channel 0: {0, 4}, channel 1: {0, 8}
    o.observe(new Float32Array([0, 0, 2, 2]), [2, 2]);
    expect(Array.from(o.minVal)).toEqual([0, 0]);
    expect(Array.from(o.maxVal)).toEqual([3, 5]);
  });
});

describe(`observers agree with PyTorch ${vectors.torch} (test/vectors/torch-observers.json)`, () => {
  it.each(torchCases("MovingAveragePerChannelMinMaxObserver"))(
    "%s: min/max exact, scale within 1 ulp, zero point exact",
    (_, c) => expectTorchMinMax(c),
  );
});
