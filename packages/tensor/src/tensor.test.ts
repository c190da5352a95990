import { describe, expect, it } from "vitest";
import {
  assertFinite,
  assertShape,
  normalizeAxis,
  Rng,
  sizeOf,
  splitAtAxis,
  stridesOf,
  tensor,
} from "./index";

describe("shape helpers", () => {
  it("sizeOf multiplies dimensions; a scalar shape holds one element", () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5, 0])).toBe(0);
    expect(() => sizeOf([2, -1])).toThrow(/shape\[1\].*-1/);
    expect(() => sizeOf([2.5])).toThrow(/shape\[0\]/);
  });
  it("stridesOf is row-major", () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([7])).toEqual([1]);
  });
  it("normalizeAxis resolves negative axes and names the argument when out of range", () => {
    expect(normalizeAxis(-1, 3)).toBe(2);
    expect(normalizeAxis(0, 1)).toBe(0);
    expect(() => normalizeAxis(3, 3, "chAxis")).toThrow(/chAxis.*got 3/);
  });
  it("assertShape names the argument, the shape and the length", () => {
    expect(assertShape(6, [2, 3])).toBe(6);
    expect(() => assertShape(5, [2, 3], "weight")).toThrow("weight has 5 elements but shape [2, 3] needs 6");
  });
  it("splitAtAxis gives outer, channel and inner counts", () => {
    expect(splitAtAxis([2, 3, 4], 1)).toEqual({ outer: 2, channels: 3, inner: 4 });
    expect(splitAtAxis([2, 3, 4], -1)).toEqual({ outer: 6, channels: 4, inner: 1 });
  });
  it("tensor wraps without copying and rejects a shape that does not fit", () => {
    const data = new Float32Array(6);
    expect(tensor(data, [2, 3]).data).toBe(data);
    expect(() => tensor(data, [4, 2])).toThrow(RangeError);
  });
  it("assertFinite names the first bad index", () => {
    expect(() => assertFinite(new Float32Array([1, 2, Number.POSITIVE_INFINITY, Number.NaN]), "x")).toThrow(
      "x[2] is Infinity",
    );
    expect(() => assertFinite(new Float32Array([0, -3]))).not.toThrow();
  });
});

describe("Rng", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });
  it("uniform samples have the mean and variance of U(0,1)", () => {
    const rng = new Rng(1);
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) throw new Error(`next() gave ${u}, outside [0, 1)`);
      s += u;
      s2 += u * u;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
  });
  it("normal samples have the requested mean and std", () => {
    const rng = new Rng(2);
    const x = rng.fillNormal(new Float32Array(200_000), 3, 2);
    let s = 0;
    let s2 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
    }
    const mean = s / x.length;
    expect(mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(s2 / x.length - mean * mean)).toBeCloseTo(2, 1);
  });
  it("int(n) is unbiased over a small range and permutation is a permutation", () => {
    const rng = new Rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const p = Array.from(rng.permutation(100)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(() => rng.int(0)).toThrow(/n must be/);
  });
});
