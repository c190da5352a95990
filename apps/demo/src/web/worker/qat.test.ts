import { describe, expect, it } from "vitest";
import type { JobContext } from "./dispatcher";
import { store } from "./modelStore";
import { QAT_KEY, qatWeights, runQat, runSweep, trainFloatBaseline } from "./qat";
import { trainMlp } from "./training";

function context<P>(seen: P[] = []): JobContext<P> {
  return {
    progress: (p) => seen.push(p),
    cancelled: false,
    signal: new AbortController().signal,
    checkpoint: async () => {},
  };
}

describe("worker jobs: QAT (on 1,000 digits)", () => {
  it("fine-tunes with fake quantization and beats PTQ at 2 bits", async () => {
    await trainMlp({ trainSize: 1000, epochs: 1, seed: 0 }, context());
    const seen: { stage: string }[] = [];
    const out = await runQat({ bits: 2, mode: "finetune", epochs: 1, trainSize: 1000 }, context(seen));
    expect(out.lr).toBe(1e-4);
    expect(out.accuracyPtq).not.toBeNull();
    expect(out.accuracyInt).toBeGreaterThan(out.accuracyPtq! + 0.1);
    expect(store.extra.has(QAT_KEY(2))).toBe(true);
    expect(seen.some((s) => s.stage === "1/3 training with fake quantization")).toBe(true);
    // the fair baseline: the float model trained the same extra epoch without fake quantization
    expect(out.accuracyFp32SameTraining).toBeGreaterThan(0.7);
    expect(out.accuracyFp32SameTraining).not.toBe(out.accuracyFp32);
    expect(out.modelVersion).toBe(store.fp32!.version);
    const w = await qatWeights({ layer: "fc2", bits: 2 });
    expect(w.fp32.length).toBe(10_000);
    expect([w.quantMin, w.quantMax]).toEqual([-2, 1]);
    expect(w.qatScale).toBeGreaterThan(0);
    // fine-tuning moves the weights by a fraction of a step: few codes change
    expect(w.codesChanged).toBeGreaterThan(0);
    expect(w.codesChanged).toBeLessThan(0.5);
    expect(w.meanShiftSteps).toBeGreaterThan(0);
    expect(w.meanShiftSteps).toBeLessThan(1);
  }, 60_000);

  it("sweeps PTQ and QAT over bit widths", async () => {
    const out = await runSweep({ bits: [8, 2], mode: "finetune", epochs: 1, trainSize: 500 }, context());
    expect(out.rows.map((r) => r.bits)).toEqual([8, 2]);
    expect(Math.abs(out.rows[0]!.ptq - out.fp32)).toBeLessThan(0.02);
    expect(out.rows[1]!.qat).toBeGreaterThan(out.rows[1]!.ptq);
    // its baseline is the same recipe in float32, deterministic: trained again, the same accuracy
    const again = await trainFloatBaseline(
      { mode: "finetune", epochs: 1, trainSize: 500 },
      context(),
      () => {},
    );
    expect(out.fp32SameTraining).toBe(again);
    expect(out.modelVersion).toBe(store.fp32!.version);
  }, 60_000);

  it("marks a model made from an earlier float model: retraining bumps the version", async () => {
    const before = store.fp32!.version;
    await trainMlp({ trainSize: 100, epochs: 1, seed: 1 }, context());
    expect(store.fp32!.version).toBe(before + 1);
    expect(store.madeFrom.get(QAT_KEY(2))).toBe(before);
  }, 60_000);
});
