import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createObserver,
  HistogramObserver,
  MinMaxObserver,
  MovingAverageMinMaxObserver,
  OBSERVER_NAMES,
  type ObserverName,
  PerChannelMinMaxObserver,
  PercentileObserver,
} from "../src/index";

const shapeOf = (name: ObserverName) => (name.includes("per_channel") ? [4, 250] : [1000]);
const perChannel = (name: ObserverName) => name.includes("per_channel");
const shapeFor = (name: ObserverName, n: number) => (perChannel(name) ? [2, n / 2] : [n]);

describe("the Observer contract, for every observer", () => {
  it.each(OBSERVER_NAMES)(
    "%s: observe returns x, counts batches, reset forgets, range() is a copy",
    (name) => {
      const rng = new Rng(1);
      const a = rng.fillNormal(new Float32Array(1000), 3, 5);
      const b = rng.fillNormal(new Float32Array(1000), -1, 0.5);
      const obs = createObserver(name);
      expect(obs.observe(a, shapeOf(name))).toBe(a);
      expect(obs.batches).toBe(1);
      obs.reset();
      expect(obs.batches).toBe(0);
      expect(() => obs.range()).toThrow(/no values observed yet/);
      obs.observe(b, shapeOf(name));
      const fresh = createObserver(name);
      fresh.observe(b, shapeOf(name));
      expect(obs.range()).toEqual(fresh.range());
      expect(obs.calculateQParams()).toEqual(fresh.calculateQParams());
      const r = obs.range();
      r.minVal[0] = 12345;
      expect(obs.range().minVal[0]).not.toBe(12345);
      const q = obs.calculateQParams();
      expect([q.quantMin, q.quantMax, q.dtype, q.qscheme]).toEqual([
        obs.quantMin,
        obs.quantMax,
        obs.dtype,
        obs.qscheme,
      ]);
      expect(q.scale.length).toBe(name.includes("per_channel") ? 4 : 1);
    },
  );

  it.each(OBSERVER_NAMES)(
    "%s: the picked range lies inside the observed [min, max] widened to include 0",
    (name) => {
      // (entropy's range is symmetric by design: [-T, T] with T <= max|x|)
      const x = new Rng(2).fillNormal(new Float32Array(1000), 2, 3);
      const obs = createObserver(name);
      obs.observe(x, shapeOf(name));
      let mn = 0;
      let mx = 0;
      for (const v of x) {
        mn = Math.min(mn, v);
        mx = Math.max(mx, v);
      }
      const { minVal, maxVal } = obs.range();
      if (name === "entropy") [mn, mx] = [-Math.max(-mn, mx), Math.max(-mn, mx)];
      for (let c = 0; c < minVal.length; c++) {
        expect(minVal[c]!).toBeGreaterThanOrEqual(Math.fround(mn) - 1e-6);
        expect(maxVal[c]!).toBeLessThanOrEqual(Math.fround(mx) + 1e-6);
        expect(minVal[c]!).toBeLessThanOrEqual(maxVal[c]!);
      }
    },
  );
});

describe("bad input gets a clear error naming the observer, never a silent NaN", () => {
  it.each(OBSERVER_NAMES)(
    "%s: NaN or Infinity names the observer, the batch and the first bad index, and changes nothing",
    (name) => {
      const obs = createObserver(name);
      const good = new Float32Array([0.5, -1, 2, 0.25, 3, -0.5, 1, 0]);
      obs.observe(good, shapeFor(name, 8));
      const before = obs.calculateQParams();
      const bad = good.slice();
      bad[5] = Number.NaN;
      bad[6] = Number.POSITIVE_INFINITY;
      expect(() => obs.observe(bad, shapeFor(name, 8))).toThrow(
        new RegExp(`^${obs.name}: batch 1 \\(0-based\\) has x\\[5\\] = NaN`),
      );
      bad[5] = 0;
      expect(() => obs.observe(bad, shapeFor(name, 8))).toThrow(/batch 1 \(0-based\) has x\[6\] = Infinity/);
      bad[6] = Number.NEGATIVE_INFINITY;
      expect(() => obs.observe(bad, shapeFor(name, 8))).toThrow(RangeError);
      expect(obs.batches).toBe(1);
      const after = obs.calculateQParams();
      expect(Array.from(after.scale)).toEqual(Array.from(before.scale));
      expect(Array.from(after.zeroPoint)).toEqual(Array.from(before.zeroPoint));
    },
  );

  it.each(OBSERVER_NAMES)(
    "%s: empty batch, shape mismatch, not a Float32Array, calculateQParams before observe",
    (name) => {
      const obs = createObserver(name);
      expect(() => obs.calculateQParams()).toThrow(new RegExp(`^${obs.name}: no values observed yet`));
      expect(() => obs.range()).toThrow(/no values observed yet/);
      expect(() => obs.observe(new Float32Array(0), perChannel(name) ? [2, 0] : [0])).toThrow(
        /batch 0 is empty/,
      );
      expect(() => obs.observe(new Float32Array(6), [4, 2])).toThrow(
        `${obs.name}: batch 0: x has 6 elements but shape [4, 2] needs 8`,
      );
      expect(() => obs.observe(new Float32Array(6), [2, -3])).toThrow(
        /shape\[1\] must be a non-negative integer/,
      );
      expect(() => obs.observe([1, 2] as unknown as Float32Array)).toThrow(TypeError);
      expect(() => obs.observe(new Float64Array(2) as unknown as Float32Array)).toThrow(
        /x must be a Float32Array, got Float64Array/,
      );
    },
  );

  it.each(OBSERVER_NAMES)(
    "%s: bits out of 1..16, quantMin >= quantMax, a range without 0, a bad eps or dtype",
    (name) => {
      expect(() => createObserver(name, { bits: 17 })).toThrow(/bits must be an integer in 1..16, got 17/);
      expect(() => createObserver(name, { bits: 0 })).toThrow(RangeError);
      expect(() => createObserver(name, { quantMin: 5, quantMax: 5 })).toThrow(
        /quantMin must be less than quantMax, got quantMin=5, quantMax=5/,
      );
      expect(() => createObserver(name, { quantMin: 9, quantMax: 2 })).toThrow(RangeError);
      expect(() => createObserver(name, { quantMin: 1, quantMax: 9 })).toThrow(/must include 0/);
      expect(() => createObserver(name, { quantMin: 0 })).toThrow(/go together/);
      expect(() => createObserver(name, { bits: 4, quantMin: 0, quantMax: 15 })).toThrow(
        /bits or quantMin\/quantMax/,
      );
      expect(() => createObserver(name, { eps: 0 })).toThrow(/eps must be positive and finite, got 0/);
      expect(() => createObserver(name, { eps: Number.NaN })).toThrow(/eps/);
      expect(() => createObserver(name, { dtype: "uint8" as never })).toThrow(/dtype must be one of/);
    },
  );

  it("qscheme must fit the class; PyTorch's reduceRange + symmetric + quint8 refusal; option ranges", () => {
    expect(() => new MinMaxObserver({ qscheme: "per_channel_affine" })).toThrow(
      /MinMaxObserver takes qscheme "per_tensor_affine" or "per_tensor_symmetric"/,
    );
    expect(() => new PerChannelMinMaxObserver({ qscheme: "per_tensor_affine" })).toThrow(TypeError);
    expect(() => new MinMaxObserver({ qscheme: "per_tensor_symmetric", reduceRange: true })).toThrow(
      /NotImplementedError/,
    );
    expect(() => new MovingAverageMinMaxObserver({ averagingConstant: 0 })).toThrow(
      /averagingConstant must be a number in \(0, 1\], got 0/,
    );
    expect(() => new MovingAverageMinMaxObserver({ averagingConstant: 1.5 })).toThrow(RangeError);
    expect(() => new PercentileObserver({ percentile: 101 })).toThrow(
      /percentile must be a number in \(0, 100\], got 101/,
    );
    expect(() => new PercentileObserver({ percentile: 90, lowerPercentile: 95 })).toThrow(/lowerPercentile/);
    expect(() => new HistogramObserver({ bins: 1 })).toThrow(/bins must be an integer in 2..2\^24, got 1/);
    expect(() => createObserver("mse", { gridSize: 0 })).toThrow(
      /gridSize must be an integer in 1..1000, got 0/,
    );
    expect(() => createObserver("nope" as never)).toThrow(/observer name must be one of minmax/);
  });

  it("never a NaN or non-positive scale, whatever finite batches come (constant, tiny, huge, one value)", () => {
    const names = OBSERVER_NAMES.filter((n) => !perChannel(n));
    const value = fc.oneof(
      fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e30), max: Math.fround(1e30) }),
      fc.constantFrom(0, -0, 1e-30, -1e-38, 1e-45, 1.5e38),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.array(value, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("per_tensor_affine", "per_tensor_symmetric"),
        (name, batches, qscheme) => {
          const obs = createObserver(name, { qscheme, dtype: "qint8" });
          for (const b of batches) obs.observe(Float32Array.from(b));
          const q = obs.calculateQParams();
          expect(Number.isFinite(q.scale[0]!) && q.scale[0]! > 0).toBe(true);
          expect(Number.isInteger(q.zeroPoint[0]!)).toBe(true);
          const { minVal, maxVal } = obs.range();
          expect(minVal[0]! <= maxVal[0]!).toBe(true);
        },
      ),
      { seed: 3, numRuns: 150 },
    );
  });
});
