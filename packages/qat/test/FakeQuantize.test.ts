import { MinMaxObserver } from "@quantkit/calibrators";
import { roundHalfToEven } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { FakeQuantize } from "../src/index";

const f32 = Math.fround;

describe("FakeQuantize", () => {
  it("quantizes and dequantizes with the observer's scale and zero point (PyTorch's float32 arithmetic, ties to even)", () => {
    const fq = new FakeQuantize({ observer: "minmax", options: { quantMin: 0, quantMax: 3 } });
    // range [0, 3] over codes 0..3: scale 1, zero point 0; 1.5 is a tie and goes to the even code 2
    expect(Array.from(fq.forward(new Float32Array([0, 0.4, 1.5, 3]), [4]).data)).toEqual([0, 0, 2, 3]);
    expect(fq.scale?.[0]).toBe(1);
    expect(fq.zeroPoint?.[0]).toBe(0);
    expect(fq.observedRange()).toEqual({ min: 0, max: 3 });
    expect(fq.calculateQParams().quantMax).toBe(3);
  });

  it("backward is the straight-through estimator: dL/dx = dL/dy where the code is in range, 0 where it was clamped", () => {
    const rng = new Rng(3);
    const fq = new FakeQuantize(new MinMaxObserver({ dtype: "quint8", quantMin: 0, quantMax: 15 }));
    fq.forward(rng.fillUniform(new Float32Array(200), -1, 2), [200]); // fixes the range [-1, 2]
    fq.observerEnabled = false;
    const x = rng.fillUniform(new Float32Array(500), -2, 3.5); // a quarter of it beyond the range
    fq.forward(x, [500]);
    const g = rng.fillNormal(new Float32Array(500));
    const dx = fq.backward(g);
    const scale = fq.scale![0]!;
    const zeroPoint = fq.zeroPoint![0]!;
    const inv = f32(1 / scale);
    let clamped = 0;
    for (let i = 0; i < x.length; i++) {
      // the definition: the unclamped code zeroPoint + round(x / scale) inside [quantMin, quantMax]
      const code = zeroPoint + roundHalfToEven(f32(x[i]! * inv));
      const inside = code >= 0 && code <= 15;
      if (!inside) clamped++;
      expect(dx[i]).toBe(inside ? g[i] : 0 * g[i]!);
    }
    expect(clamped).toBeGreaterThan(100);
    expect(clamped).toBeLessThan(250);
  });

  it("with the observer disabled the range stays; with fake quantization disabled values and gradients pass through", () => {
    const fq = new FakeQuantize({ observer: "minmax", options: { quantMin: 0, quantMax: 255 } });
    fq.forward(new Float32Array([-1, 1]), [2]);
    const scale = fq.scale![0];
    fq.observerEnabled = false;
    expect(Array.from(fq.forward(new Float32Array([5]), [1]).data)).toEqual([
      f32(f32(255 - fq.zeroPoint![0]!) * scale!),
    ]);
    expect(fq.scale![0]).toBe(scale);
    fq.fakeQuantEnabled = false;
    const x = new Float32Array([0.123, 7]);
    expect(fq.forward(x, [2]).data).toBe(x);
    const g = new Float32Array([1, 2]);
    expect(fq.backward(g)).toBe(g);
  });

  it("follows the moving average of the ranges during training (MovingAverageMinMaxObserver, constant 0.01)", () => {
    const fq = new FakeQuantize({
      observer: "moving_average_minmax",
      options: { quantMin: 0, quantMax: 255 },
    });
    fq.forward(new Float32Array([0, 1]), [2]);
    fq.forward(new Float32Array([0, 2]), [2]);
    // max = 1 + 0.01 * (2 - 1) = 1.01 (float32)
    expect(fq.scale![0]).toBe(f32(f32(1.01) / 255));
  });

  it("observedRange() spans the batches seen while observerEnabled, kept across an observer reset (ptq's ObserverModule)", () => {
    for (const options of [{}, { qscheme: "per_channel_symmetric", dtype: "qint8" }] as const) {
      const fq = new FakeQuantize({ observer: "minmax", options });
      expect(fq.observedRange()).toBeNull();
      fq.forward(Float32Array.of(-1, 2, 0.5, 0), [2, 2]);
      fq.forward(Float32Array.of(0, 0.25, -3, 1), [2, 2]);
      expect(fq.observedRange()).toEqual({ min: -3, max: 2 });
      fq.observer.reset();
      fq.forward(Float32Array.of(0, 4, 0, 0), [2, 2]);
      expect(fq.observedRange()).toEqual({ min: -3, max: 4 });
      fq.observerEnabled = false;
      fq.forward(Float32Array.of(-9, 9, 0, 0), [2, 2]);
      expect(fq.observedRange()).toEqual({ min: -3, max: 4 });
    }
    const percentile = new FakeQuantize({ observer: "percentile" });
    percentile.forward(Float32Array.of(-0.5, 0, 0.5, 1000), [4]);
    expect(percentile.observedRange()).toEqual({ min: -0.5, max: 1000 });
  });

  it("fails clearly without a range or before forward", () => {
    const fq = new FakeQuantize({ observer: "minmax" });
    fq.observerEnabled = false;
    expect(() => fq.forward(new Float32Array([1]), [1])).toThrow(/no scale yet/);
    expect(() => new FakeQuantize({ observer: "minmax" }).backward(new Float32Array(1))).toThrow(
      /before forward/,
    );
    expect(() => new FakeQuantize({ observer: "nope" as never })).toThrow(TypeError);
  });
});
