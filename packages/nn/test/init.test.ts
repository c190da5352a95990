import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { Conv2d, createMlp, kaimingUniform, Linear } from "../src/index";

function stats(a: Float32Array) {
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  let s2 = 0;
  for (const v of a) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    s += v;
    s2 += v * v;
  }
  const mean = s / a.length;
  return { min, max, mean, variance: s2 / a.length - mean * mean };
}

describe("PyTorch's default initialisation, seeded", () => {
  it("Linear(784, 100): weight and bias uniform in ±1/sqrt(784) = ±1/28, moments of U(-b, b)", () => {
    const fc = new Linear(784, 100, { seed: 0 });
    const bound = 1 / 28;
    const w = stats(fc.weight.data);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThan(bound);
    // 78,400 draws reach within 0.1% of both ends
    expect(w.min).toBeLessThan(-0.999 * bound);
    expect(w.max).toBeGreaterThan(0.999 * bound);
    expect(Math.abs(w.mean)).toBeLessThan(0.01 * bound);
    expect(w.variance / ((bound * bound) / 3)).toBeCloseTo(1, 1);
    const b = stats(fc.bias!.data);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThan(bound);
    expect(b.max - b.min).toBeGreaterThan(1.5 * bound);
  });
  it("Conv2d: fanIn = inChannels / groups * kH * kW", () => {
    const conv = new Conv2d(4, 8, [3, 5], { groups: 2, seed: 1 });
    const bound = 1 / Math.sqrt(2 * 15);
    const w = stats(conv.weight.data);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThan(bound);
    expect(w.max - w.min).toBeGreaterThan(1.9 * bound);
    expect(conv.weight.shape).toEqual([8, 2, 3, 5]);
  });
  it("kaimingUniform with a = 0 (ReLU gain) has bound sqrt(6 / fanIn)", () => {
    const w = stats(kaimingUniform(new Float32Array(100_000), 6, 0, new Rng(2)));
    expect(w.min).toBeGreaterThanOrEqual(-1);
    expect(w.max).toBeLessThan(1);
    expect(w.min).toBeLessThan(-0.999);
  });
  it("the same seed gives the same model, another seed another, and layers differ", () => {
    const a = createMlp([784, 100, 100, 10], { seed: 0 });
    const b = createMlp([784, 100, 100, 10], { seed: 0 });
    const c = createMlp([784, 100, 100, 10], { seed: 1 });
    const pa = a.parameters();
    const pb = b.parameters();
    const pc = c.parameters();
    for (let i = 0; i < pa.length; i++) {
      expect(Buffer.from(pa[i]!.data.buffer).equals(Buffer.from(pb[i]!.data.buffer))).toBe(true);
      expect(Buffer.from(pa[i]!.data.buffer).equals(Buffer.from(pc[i]!.data.buffer))).toBe(false);
    }
    const fc2 = (a.get("fc2") as Linear).weight.data;
    expect(fc2.subarray(0, 100)).not.toEqual((a.get("fc1") as Linear).weight.data.subarray(0, 100));
    // an explicit Rng continues where it is: two layers from one Rng differ
    const rng = new Rng(5);
    expect(new Linear(3, 3, { rng }).weight.data).not.toEqual(new Linear(3, 3, { rng }).weight.data);
    expect(new Linear(3, 3, { seed: 5 }).weight.data).toEqual(
      new Linear(3, 3, { rng: new Rng(5) }).weight.data,
    );
  });
});
