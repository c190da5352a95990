import { batches } from "@quantkit/datasets";
import { createCpuKernels } from "@quantkit/kernels";
import { Adam, createMlp, evaluate, fit, loadStateDict, serializeSafetensors, stateDict } from "@quantkit/nn";
import { serializeQuantizedModel } from "@quantkit/ptq";
import { describe, expect, it } from "vitest";
import { runSeedExperiment } from "../../src/cli/experiment/runSeedExperiment";
import { mnistSlice } from "./_mnistSlice";

describe("runSeedExperiment", () => {
  it("trains, quantizes (default, best calibrator), trains with fake quantization, and reports every row", async () => {
    const { train, test } = await mnistSlice(400, 150);
    const stages = new Set<string>();
    const reports: { stage: string; done: number; total: number; step: number; steps: number }[] = [];
    const { summary, models } = await runSeedExperiment({
      train,
      test,
      hidden: [24],
      calibrationSamples: 100,
      selectionSamples: 100,
      calibrators: ["minmax", "percentile"],
      weightCalibrators: ["minmax"],
      timingRepeats: 1,
      backends: [
        { name: "wasm-simd", kernels: createCpuKernels() },
        { name: "js", kernels: createCpuKernels({ simd: false }) },
      ],
      onProgress: (p) => {
        stages.add(p.stage);
        reports.push(p);
      },
    });
    expect(summary.aborted).toBe(false);
    // every stage's bar advances with the work: done never goes back, and each stage ends at its total
    expect(reports.every((p) => p.steps === 8)).toBe(true);
    expect([...new Set(reports.map((p) => `${p.step} ${p.stage}`))]).toEqual([
      "1 train",
      "2 evaluate",
      "3 calibrate",
      "4 select",
      "5 qat-scratch",
      "6 qat-finetune",
      "7 fp32-finetune",
      "8 weight-only",
    ]);
    for (let step = 1; step <= 8; step++) {
      const mine = reports.filter((p) => p.step === step);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.done).toBeGreaterThanOrEqual(mine[i - 1]!.done);
      expect(mine[mine.length - 1]!.done, `stage ${step}`).toBe(mine[0]!.total);
      // no stretch of work goes unreported: a stage of n units reports at least n + 1 times
      expect(mine.length).toBeGreaterThan(mine[0]!.total);
    }
    expect(summary.config).toMatchObject({
      epochs: 1,
      batchSize: 10,
      lr: 1e-3,
      seed: 0,
      weightBits: 8,
      activationBits: 8,
      layers: [784, 24, 10],
    });
    expect([...stages].sort()).toEqual([
      "calibrate",
      "evaluate",
      "fp32-finetune",
      "qat-finetune",
      "qat-scratch",
      "select",
      "train",
      "weight-only",
    ]);
    for (const row of [summary.fp32, summary.ptq!, summary.ptqBest!, summary.qat!, summary.qatFinetune!]) {
      expect(row.count).toBe(150);
      expect(row.accuracy).toBe(row.correct / 150);
      expect(row.accuracy).toBeGreaterThan(0.5);
      expect(Object.keys(row.inferenceMs)).toEqual(expect.arrayContaining(["wasm-simd", "js"]));
    }
    expect(summary.fp32.backend).toBe("nn");
    // Sizes are the bytes of the files the models save to: float32 safetensors, the integer model's file.
    expect(summary.fp32.sizeBytes).toBe(serializeSafetensors(stateDict(models.fp32)).length);
    expect(summary.fp32.sizeBytes).toBeGreaterThan(4 * (784 * 24 + 24 + 24 * 10 + 10));
    expect(summary.ptq!.sizeBytes).toBe(serializeQuantizedModel(models.ptq!).length);
    expect(summary.ptq!.sizeBytes).toBeLessThan(summary.fp32.sizeBytes / 3);
    expect(summary.ptq!.qconfig).toBe("defaultQConfig");
    expect(summary.ptq!.backendsAgree).toBe(true);
    expect(summary.ptqBest!.candidates.map((c) => c.calibrator)).toEqual(["minmax", "percentile"]);
    expect(["minmax", "percentile"]).toContain(summary.ptqBest!.calibrator);
    expect(summary.ptqBest!.selectionAccuracy).toBe(
      Math.max(...summary.ptqBest!.candidates.map((c) => c.selectionAccuracy)),
    );
    expect(summary.qat!.mode).toBe("scratch");
    expect(summary.qatFinetune!.lr).toBe(1e-4);
    expect(summary.qat!.agreement).toBeGreaterThanOrEqual(0.99);
    // the fine-tune's fair baseline: the fp32 model trained the same extra epoch at the same lr, in float
    const more = createMlp([784, 24, 10], { seed: 0 });
    loadStateDict(more, stateDict(models.fp32));
    await fit(more, batches(train, { batchSize: 10, shuffle: true, seed: 0 }), {
      optimizer: new Adam(more.parameters(), { lr: 1e-4 }),
      epochs: 1,
    });
    const expected = evaluate(more, batches(test, { batchSize: 1000 }));
    expect(summary.fp32Finetune).toMatchObject({
      epochs: 1,
      lr: 1e-4,
      correct: expected.correct,
      count: 150,
    });
    // weight-only PTQ of the fp32 model: every method at 4 and 3 bits, calibrated on the calibration split
    expect(summary.weightOnly!.map((r) => `w${r.bits} ${r.method} ${r.calibrationRows}`)).toEqual([
      "w4 rtn 0",
      "w4 gptq 100",
      "w4 awq 100",
      "w4 hqq 0",
      "w3 rtn 0",
      "w3 gptq 100",
      "w3 awq 100",
      "w3 hqq 0",
    ]);
    for (const row of summary.weightOnly!) {
      expect(row.accuracy).toBe(row.correct / 150);
      expect(row.accuracy).toBeGreaterThan(0.5);
      expect(row.sizeBytes).toBeLessThan(summary.fp32.sizeBytes / 3);
    }
    // The reported PTQ accuracy is the returned model's, counted here from its predictions.
    const predicted = models.ptq!.predict(test.images, test.count);
    let correct = 0;
    for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) correct++;
    expect(summary.ptq!.correct).toBe(correct);
    // JSON-able: a round trip through JSON keeps the documented values
    const json = JSON.parse(JSON.stringify(summary));
    expect(json.ptqBest.calibrator).toBe(summary.ptqBest!.calibrator);
    expect(json.qat.sizeBytes).toBe(summary.qat!.sizeBytes);
    expect(json.fp32.accuracy).toBe(summary.fp32.accuracy);
  });

  it("stops when its signal aborts, returning what finished", async () => {
    const { train, test } = await mnistSlice(200, 50);
    const controller = new AbortController();
    const { summary, models } = await runSeedExperiment({
      train,
      test,
      hidden: [8],
      timingRepeats: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === "calibrate") controller.abort();
      },
    });
    expect(summary.aborted).toBe(true);
    // What finished is kept and true: the trained float model's accuracy, recounted here.
    expect(summary.fp32.correct).toBe(evaluate(models.fp32, batches(test, { batchSize: 1000 })).correct);
    expect(summary.fp32.count).toBe(50);
    expect(summary.qat).toBeUndefined();
  });
});
