import { describe, expect, it } from "vitest";
import {
  createObserverFrom,
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
