import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { MseObserver, PerChannelMseObserver } from "../src/index";

function data(seed: number, n: number): Float32Array {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n), 1, 2);
  for (let i = 0; i < n; i += 250) x[i] = rng.uniform(15, 40); // a heavy right tail
  return x;
}

describe("PerChannelMseObserver", () => {
  it("gives each channel what MseObserver gives that channel's values", () => {
    const a = data(5, 3000);
    const b = new Rng(6).fillUniform(new Float32Array(3000), -2, 2);
    const x = new Float32Array(6000);
    for (let i = 0; i < 3000; i++) {
      x[2 * i] = a[i]!; // channels on the last axis
      x[2 * i + 1] = b[i]!;
    }
    const opts = { dtype: "qint8" as const, bins: 2048 };
    const pc = new PerChannelMseObserver({ ...opts, chAxis: 1, qscheme: "per_channel_affine" });
    pc.observe(x, [3000, 2]);
    const r = pc.range();
    for (const [c, values] of [a, b].entries()) {
      const one = new MseObserver({ ...opts, qscheme: "per_tensor_affine" });
      one.observe(values);
      expect([r.minVal[c], r.maxVal[c]]).toEqual([one.range().minVal[0], one.range().maxVal[0]]);
    }
    expect(pc.calculateQParams().axis).toBe(1);
  });
});
