import { createObserver, HistogramObserver, MinMaxObserver } from "@quantkit/calibrators";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { ObserverModule } from "../src/index";

describe("ObserverModule", () => {
  it("records each batch in its observer and passes it on unchanged: the example's zero point 85", () => {
    const obs = new ObserverModule(new MinMaxObserver());
    const x = new Float32Array([-1, 2]);
    expect(obs.forward(x, [2]).data).toBe(x);
    expect(obs.calculateQParams().zeroPoint[0]).toBe(85);
    expect(obs.observedRange()).toEqual({ min: -1, max: 2 });
    obs.forward(new Float32Array([0.5, 3]), [2]);
    expect(obs.observedRange()).toEqual({ min: -1, max: 3 });
    const g = new Float32Array([7]);
    expect(obs.backward(g)).toBe(g);
  });
  it("keeps the raw range even where the observer's chosen range is narrower (histogram)", () => {
    const obs = new ObserverModule(new HistogramObserver());
    const x = new Float32Array(1001).map((_, i) => (i === 1000 ? 1000 : i / 1000));
    obs.forward(x, [x.length]);
    expect(obs.observedRange()).toEqual({ min: 0, max: 1000 });
    const q = obs.calculateQParams();
    expect((255 - q.zeroPoint[0]!) * q.scale[0]!).toBeLessThan(1000); // the outlier is clipped
  });
  it("observedRange() is the min and max of every batch seen while enabled, whatever the observer (min-max ones read from it)", () => {
    const perChannel = { qscheme: "per_channel_symmetric", dtype: "qint8" } as const;
    for (const [name, options] of [
      ["minmax", {}],
      ["minmax", perChannel],
      ["moving_average_minmax", {}],
      ["moving_average_minmax", perChannel],
      ["percentile", {}],
    ] as const) {
      const rng = new Rng(11);
      const obs = new ObserverModule(createObserver(name, options));
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const batch = (lo: number, hi: number, counted: boolean) => {
        const x = rng.fillUniform(new Float32Array(6 * 7), lo, hi);
        obs.forward(x, [6, 7]);
        if (counted) for (const v of x) [min, max] = [Math.min(min, v), Math.max(max, v)];
        expect(obs.observedRange(), `${name} ${options.qscheme ?? ""}`).toEqual({ min, max });
      };
      batch(-1, 2, true);
      batch(-0.5, 0.5, true); // inside the range so far: nothing moves
      batch(-3, 1, true);
      obs.observer.reset(); // the observer forgets; the module's observed range does not
      batch(-0.25, 0.25, true);
      batch(0, 4, true);
      obs.enabled = false;
      batch(-9, 9, false); // not observed
    }
  });
  it("enabled = false stops observing; reset() forgets; null before anything was seen", () => {
    const obs = new ObserverModule(new MinMaxObserver());
    expect(obs.observedRange()).toBeNull();
    obs.enabled = false;
    obs.forward(new Float32Array([5]), [1]);
    expect(obs.observedRange()).toBeNull();
    obs.enabled = true;
    obs.forward(new Float32Array([-2, 4]), [2]);
    obs.reset();
    expect(obs.observedRange()).toBeNull();
    obs.forward(new Float32Array([1, 2]), [2]);
    expect(obs.observedRange()).toEqual({ min: 1, max: 2 });
  });
  it("prints its observer like PyTorch's activation_post_process", () => {
    expect(new ObserverModule(new MinMaxObserver()).toString()).toBe(
      "ObserverModule(MinMaxObserver, dtype=quint8, qscheme=per_tensor_affine, quant_min=0, quant_max=255)",
    );
  });
});
