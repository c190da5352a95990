import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { createObserver, OBSERVER_NAMES, type ObserverName } from "../src/index";

const shapeOf = (name: ObserverName) => (name.includes("per_channel") ? [4, 250] : [1000]);

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
