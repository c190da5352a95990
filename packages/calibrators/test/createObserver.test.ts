import { describe, expect, it } from "vitest";
import { createObserver, OBSERVER_NAMES } from "../src/index";

describe("createObserver", () => {
  it("builds every named observer; per-channel qschemes pick the per-channel class", () => {
    const names = OBSERVER_NAMES.map((n) => createObserver(n).name);
    expect(names).toEqual([
      "MinMaxObserver",
      "MovingAverageMinMaxObserver",
      "PerChannelMinMaxObserver",
      "MovingAveragePerChannelMinMaxObserver",
      "HistogramObserver",
      "PercentileObserver",
      "PerChannelPercentileObserver",
      "MseObserver",
      "PerChannelMseObserver",
      "EntropyObserver",
      "CrossEntropyObserver",
    ]);
    const pc = { qscheme: "per_channel_symmetric" as const, dtype: "qint8" as const };
    expect(createObserver("minmax", pc).name).toBe("PerChannelMinMaxObserver");
    expect(createObserver("moving_average_minmax", pc).name).toBe("MovingAveragePerChannelMinMaxObserver");
    expect(createObserver("percentile", pc).name).toBe("PerChannelPercentileObserver");
    expect(createObserver("mse", pc).name).toBe("PerChannelMseObserver");
    expect(createObserver("entropy").dtype).toBe("qint8");
    expect(createObserver("percentile", { percentile: 99.9 }).qscheme).toBe("per_tensor_affine");
  });
});

// Issue 15, item 8: `{ bitz: 4 }` was silently ignored by every observer.
describe("observer options reject unknown keys", () => {
  it.each(OBSERVER_NAMES)("%s names the unknown key and the keys it takes", (name) => {
    expect(() => createObserver(name, { bitz: 4 } as never)).toThrow(
      /options has an unknown key "bitz"; known keys: dtype, qscheme/,
    );
  });
  it("each observer still takes its own keys", () => {
    expect(() => createObserver("histogram", { bins: 256, upsampleRate: 8, bits: 8 })).not.toThrow();
    expect(() => createObserver("moving_average_minmax", { averagingConstant: 0.1 })).not.toThrow();
    expect(() =>
      createObserver("moving_average_per_channel_minmax", { averagingConstant: 0.1, chAxis: 1 }),
    ).not.toThrow();
    expect(() =>
      createObserver("percentile", { percentile: 99, lowerPercentile: 1, exactLimit: 10, mantissaBits: 8 }),
    ).not.toThrow();
    expect(() =>
      createObserver("crossentropy", { axis: 1, gridSize: 10, maxSamples: 100, seed: 1 }),
    ).not.toThrow();
    expect(() => createObserver("entropy", { bins: 512 })).not.toThrow();
    expect(() => createObserver("mse", { gridSize: 10, bins: 512 })).not.toThrow();
  });
});
