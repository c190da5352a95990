import { describe, expect, it } from "vitest";
import { classify, prepareModels, testDigit } from "./digits";
import type { JobContext } from "./dispatcher";
import { trainMlp } from "./training";

function context<P>(seen: P[] = []): JobContext<P> {
  return {
    progress: (p) => seen.push(p),
    cancelled: false,
    signal: new AbortController().signal,
    checkpoint: async () => {},
  };
}

describe("worker jobs: draw a digit", () => {
  it("says which models are missing, makes them, and classifies test digits with all three", async () => {
    const none = await classify({ image: new Float32Array(784) });
    expect(none.models.map((m) => [m.id, m.available])).toEqual([
      ["fp32", false],
      ["ptq8", false],
      ["qat4", false],
    ]);
    const stages: { stage: string }[] = [];
    const ready = await prepareModels({ trainSize: 600 }, context(stages));
    expect(ready.models.every((m) => m.available && m.accuracy! > 0.6)).toBe(true);
    expect(new Set(stages.map((s) => s.stage))).toEqual(
      new Set([
        "training the float model",
        "PTQ to int8 (min-max, 500 digits)",
        "QAT to int4 (fine-tuning, 1 epoch)",
      ]),
    );
    let right = 0;
    for (let i = 0; i < 20; i++) {
      const { image, label, index } = await testDigit({ index: i * 100 });
      expect(index).toBe(i * 100);
      expect(Math.min(...image)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...image)).toBeLessThanOrEqual(1);
      const out = await classify({ image });
      for (const m of out.models) expect(m.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (out.models[0]!.predicted === label) right++;
    }
    expect(right).toBeGreaterThanOrEqual(13);
  }, 60_000);

  it("marks the int8 and int4 models stale after the float model is retrained, and makes them again", async () => {
    const fresh = await classify({ image: new Float32Array(784) });
    expect(fresh.models.map((m) => m.stale)).toEqual([false, false, false]);
    await trainMlp({ trainSize: 300, epochs: 1, seed: 2 }, context());
    const after = await classify({ image: new Float32Array(784) });
    expect(after.fp32Version).toBe(fresh.fp32Version! + 1);
    expect(after.models.map((m) => [m.id, m.stale, m.madeFrom])).toEqual([
      ["fp32", false, fresh.fp32Version! + 1],
      ["ptq8", true, fresh.fp32Version],
      ["qat4", true, fresh.fp32Version],
    ]);
    const remade = await prepareModels({ trainSize: 300 }, context());
    expect(remade.models.map((m) => [m.stale, m.madeFrom])).toEqual([
      [false, after.fp32Version],
      [false, after.fp32Version],
      [false, after.fp32Version],
    ]);
  }, 60_000);

  it("rejects an image of the wrong size", async () => {
    await expect(classify({ image: new Float32Array(10) })).rejects.toThrow(
      "image must be a Float32Array of 784 pixels, got 10",
    );
  });
});
