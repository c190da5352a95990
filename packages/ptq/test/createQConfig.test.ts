import { describe, expect, it } from "vitest";
import { assertQConfig, createObserverFrom, createQConfig } from "../src/index";

describe("createQConfig", () => {
  it.each([2, 3, 4, 5, 6, 7, 8])(
    "%i bits: signed symmetric weights -2^(b-1)..2^(b-1)-1, unsigned activations 0..2^b-1",
    (bits) => {
      const q = createQConfig({ bits });
      const w = createObserverFrom(q.weight);
      const a = createObserverFrom(q.activation);
      expect([w.quantMin, w.quantMax]).toEqual([-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]);
      expect([a.quantMin, a.quantMax]).toEqual([0, 2 ** bits - 1]);
      expect(w.qscheme).toBe("per_tensor_symmetric");
      const narrow = createObserverFrom(createQConfig({ bits, narrowRange: true }).weight);
      expect([narrow.quantMin, narrow.quantMax]).toEqual([-(2 ** (bits - 1) - 1), 2 ** (bits - 1) - 1]);
      expect(() => assertQConfig(q)).not.toThrow();
    },
  );

  it("a narrow-range weight scale is max|w| / (2^(b-1) - 1), the full range's max|w| / ((2^b - 1) / 2)", () => {
    const w = new Float32Array([-0.5, 0.25, 1.5]);
    const narrow = createObserverFrom(createQConfig({ bits: 4, narrowRange: true }).weight);
    narrow.observe(w);
    expect(narrow.calculateQParams().scale[0]).toBe(Math.fround(1.5 / 7));
    const full = createObserverFrom(createQConfig({ bits: 4 }).weight);
    full.observe(w);
    expect(full.calculateQParams().scale[0]).toBe(Math.fround(1.5 / 7.5));
  });

  it("separate weight and activation bits, per-channel, observers by name, reduce range, QAT observers", () => {
    const q = createQConfig({
      weightBits: 4,
      activationBits: 6,
      perChannel: true,
      activationObserver: "histogram",
      weightObserver: "mse",
    });
    expect(createObserverFrom(q.weight).name).toBe("PerChannelMseObserver");
    expect(createObserverFrom(q.weight).quantMin).toBe(-8);
    expect(createObserverFrom(q.activation).name).toBe("HistogramObserver");
    expect(createObserverFrom(q.activation).quantMax).toBe(63);
    expect(createObserverFrom(createQConfig({ reduceRange: true }).activation).quantMax).toBe(127);
    expect(createObserverFrom(createQConfig({ qat: true }).weight).name).toBe("MovingAverageMinMaxObserver");
    expect(q.name).toBe("w4a6 per-channel histogram/per_channel_mse");
  });

  it("rejects bit widths outside 2..8 and observers without a per-channel version", () => {
    expect(() => createQConfig({ bits: 1 })).toThrow(/bits must be an integer in 2..8, got 1/);
    expect(() => createQConfig({ weightBits: 9 })).toThrow(/weightBits must be an integer in 2..8, got 9/);
    expect(() => createQConfig({ activationBits: 2.5 })).toThrow(/activationBits/);
    expect(() => createQConfig({ perChannel: true, weightObserver: "histogram" })).toThrow(
      /no per-channel version/,
    );
  });
});
