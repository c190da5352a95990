import { describe, expect, it } from "vitest";
import type { JobContext } from "./dispatcher";
import { store } from "./modelStore";
import { loadCheckpoint, modelInfo, PTQ_KEY, runPtq } from "./ptq";
import { trainMlp } from "./training";

/** A job context outside the worker: records progress, never cancelled. */
function context<P>(seen: P[] = []): JobContext<P> {
  return {
    progress: (p) => seen.push(p),
    cancelled: false,
    signal: new AbortController().signal,
    checkpoint: async () => {},
  };
}

describe("worker jobs: train, PTQ, checkpoint (on 1,000 digits)", () => {
  it("trains the MLP, quantizes it to int8 and keeps its accuracy", async () => {
    const progress: { phase: string; step: number }[] = [];
    const trained = await trainMlp({ trainSize: 1000, epochs: 1, seed: 0 }, context(progress));
    expect(trained.trainSize).toBe(1000);
    expect(trained.parameters).toBe(89_610);
    expect(trained.testCount).toBe(2004);
    expect(trained.accuracy).toBeGreaterThan(0.75);
    expect(trained.curve.at(-1)!.step).toBe(100); // 1000 / batch 10
    expect(progress[0]!.phase).toBe("loading");
    expect(modelInfo()).toMatchObject({ trained: true, accuracy: trained.accuracy, trainSize: 1000 });

    const out = await runPtq({ calibrator: "minmax", perChannel: false, bits: 8, calibSize: 200 }, context());
    expect(out.accuracyFp32).toBe(trained.accuracy);
    // int8 keeps the float accuracy within a point, and agrees on almost every digit
    expect(Math.abs(out.accuracyInt - out.accuracyFp32)).toBeLessThan(0.01);
    expect(out.agreement).toBeGreaterThan(0.97);
    // 89,610 float32 parameters are 358,440 bytes plus the safetensors header; int8 about a quarter
    expect(out.fp32Bytes).toBeGreaterThan(358_440);
    expect(out.fp32Bytes).toBeLessThan(360_000);
    expect(out.intBytes).toBeLessThan(out.fp32Bytes / 3);
    expect(out.report.map((r) => r.name)).toEqual(["quant", "fc1", "fc2", "fc3"]);
    expect(store.extra.has(PTQ_KEY(8))).toBe(true);

    // 2 bits ruin it: the lesson of section 9
    const w2 = await runPtq({ calibrator: "minmax", perChannel: false, bits: 2, calibSize: 200 }, context());
    expect(w2.accuracyInt).toBeLessThan(out.accuracyInt - 0.2);
  }, 60_000);

  it("loads a float checkpoint (the state dict as safetensors) and evaluates it", async () => {
    const nn = await import("@quantkit/nn");
    const bytes = nn.serializeSafetensors(nn.stateDict(store.fp32!.model));
    const accuracy = store.fp32!.accuracy;
    const info = await loadCheckpoint({ bytes, name: "mlp.safetensors" });
    expect(info).toMatchObject({ trained: true, accuracy, source: "loaded checkpoint" });
    await expect(
      loadCheckpoint({ bytes: bytes.subarray(0, 20), name: "broken.safetensors" }),
    ).rejects.toThrow(/broken\.safetensors/);
  });
});
