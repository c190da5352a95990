import { describe, expect, it } from "vitest";
import { MovingAverageMinMaxObserver } from "../src/index";
import { expectTorchMinMax, torchCases, vectors } from "./_torchVectors";

const f32 = Math.fround;

describe("MovingAverageMinMaxObserver", () => {
  it("the first batch sets min/max, later ones move by c: c = 0.5 over [0, 4] then [-2, 2] gives [-1, 3]", () => {
    const obs = new MovingAverageMinMaxObserver({ averagingConstant: 0.5 });
    obs.observe(new Float32Array([0, 4]));
    expect([obs.minVal, obs.maxVal]).toEqual([0, 4]);
    obs.observe(new Float32Array([-2, 2]));
    expect([obs.minVal, obs.maxVal]).toEqual([-1, 3]);
    obs.observe(new Float32Array([1, 1]));
    expect([obs.minVal, obs.maxVal]).toEqual([0, 2]);
  });

  it("follows min + c (batchMin - min) in float32 over a long sequence (default c = 0.01)", () => {
    const obs = new MovingAverageMinMaxObserver();
    expect(obs.averagingConstant).toBe(0.01);
    const c = f32(0.01);
    let mn = 0;
    let mx = 0;
    for (let t = 0; t < 50; t++) {
      const lo = f32(-1 - 0.1 * t);
      const hi = f32(2 + Math.sin(t));
      obs.observe(new Float32Array([hi, lo, 0.5]));
      if (t === 0) {
        mn = lo;
        mx = hi;
      } else {
        mn = f32(mn + f32(c * f32(lo - mn)));
        mx = f32(mx + f32(c * f32(hi - mx)));
      }
      expect([obs.minVal, obs.maxVal]).toEqual([mn, mx]);
    }
  });

  it("c = 1 keeps only the last batch", () => {
    const obs = new MovingAverageMinMaxObserver({ averagingConstant: 1 });
    obs.observe(new Float32Array([-7, 7]));
    obs.observe(new Float32Array([-1, 0.5]));
    expect([obs.minVal, obs.maxVal]).toEqual([-1, 0.5]);
  });
});

describe(`observers agree with PyTorch ${vectors.torch} (test/vectors/torch-observers.json)`, () => {
  it.each(torchCases("MovingAverageMinMaxObserver"))(
    "%s: min/max exact, scale within 1 ulp, zero point exact",
    (_, c) => expectTorchMinMax(c),
  );
});
