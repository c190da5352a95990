import { describe, expect, it } from "vitest";
import {
  assertQConfig,
  createObserverFrom,
  createQConfig,
  defaultPerChannelQatQConfig,
  defaultPerChannelQConfig,
  defaultQatQConfig,
  defaultQConfig,
  describeObserver,
  fullRangeQConfig,
  QCONFIG_PRESETS,
} from "../src/index";

describe("qconfig presets follow torch.ao.quantization", () => {
  it("defaultQConfig: MinMaxObserver quint8 0..127 per_tensor_affine activations, qint8 per_tensor_symmetric weights", () => {
    const a = createObserverFrom(defaultQConfig.activation);
    expect([a.name, a.dtype, a.qscheme, a.quantMin, a.quantMax]).toEqual([
      "MinMaxObserver",
      "quint8",
      "per_tensor_affine",
      0,
      127,
    ]);
    const w = createObserverFrom(defaultQConfig.weight);
    expect([w.name, w.dtype, w.qscheme, w.quantMin, w.quantMax]).toEqual([
      "MinMaxObserver",
      "qint8",
      "per_tensor_symmetric",
      -128,
      127,
    ]);
  });

  it("defaultPerChannelQConfig: PerChannelMinMaxObserver qint8 per_channel_symmetric weights", () => {
    const w = createObserverFrom(defaultPerChannelQConfig.weight);
    expect([w.name, w.qscheme, w.quantMin, w.quantMax]).toEqual([
      "PerChannelMinMaxObserver",
      "per_channel_symmetric",
      -128,
      127,
    ]);
  });

  it("defaultQatQConfig: moving-average min-max, activations 0..255 with reduce_range (0..127), weights -128..127", () => {
    const a = createObserverFrom(defaultQatQConfig.activation);
    expect([a.name, a.reduceRange, a.quantMin, a.quantMax]).toEqual([
      "MovingAverageMinMaxObserver",
      true,
      0,
      127,
    ]);
    const w = createObserverFrom(defaultQatQConfig.weight);
    expect([w.name, w.qscheme, w.quantMin, w.quantMax]).toEqual([
      "MovingAverageMinMaxObserver",
      "per_tensor_symmetric",
      -128,
      127,
    ]);
    expect(createObserverFrom(defaultPerChannelQatQConfig.weight).name).toBe(
      "MovingAveragePerChannelMinMaxObserver",
    );
  });

  it("fullRangeQConfig uses all of quint8 for activations", () => {
    expect(createObserverFrom(fullRangeQConfig.activation).quantMax).toBe(255);
    expect(describeObserver(fullRangeQConfig.activation)).toBe(
      "MinMaxObserver quint8 [0, 255] per_tensor_affine",
    );
    expect(Object.keys(QCONFIG_PRESETS)).toContain("defaultQatQConfig");
  });
});

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

describe("assertQConfig", () => {
  it("rejects signed activations, affine weights and codes wider than 8 bits", () => {
    expect(() =>
      assertQConfig({
        activation: { observer: "minmax", options: { dtype: "qint8" } },
        weight: defaultQConfig.weight,
      }),
    ).toThrow(/qconfig.activation must give uint8 codes .* got \[-128, 127\]/);
    expect(() =>
      assertQConfig({
        activation: defaultQConfig.activation,
        weight: { observer: "minmax", options: { dtype: "qint8", qscheme: "per_tensor_affine" } },
      }),
    ).toThrow(/qconfig.weight must be symmetric/);
    expect(() =>
      assertQConfig({
        activation: { observer: "minmax", options: { quantMin: 0, quantMax: 1023 } },
        weight: defaultQConfig.weight,
      }),
    ).toThrow(/within 0..255/);
    expect(() => assertQConfig(null as never)).toThrow(TypeError);
  });
});
