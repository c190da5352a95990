/**
 * The worker's job table: each entry imports its heavy code on first use, so that starting the
 * worker costs nothing until a section asks for work.
 */
import type { JobHandler } from "./dispatcher";
import type { Jobs, WorkerInfo } from "./jobs";

type Handlers = { [K in keyof Jobs]: JobHandler<Jobs[K]["input"], Jobs[K]["progress"], Jobs[K]["output"]> };

function workerInfo(): WorkerInfo {
  let offscreenWebgl2 = false;
  try {
    offscreenWebgl2 =
      typeof OffscreenCanvas !== "undefined" && new OffscreenCanvas(1, 1).getContext("webgl2") !== null;
  } catch {
    offscreenWebgl2 = false;
  }
  return {
    offscreenWebgl2,
    hardwareConcurrency: navigator.hardwareConcurrency ?? 1,
    userAgent: navigator.userAgent,
  };
}

export const handlers: Handlers = {
  info: () => workerInfo(),
  compareRanges: async (input) => (await import("../lib/rangeExperiment")).runRangeExperiment(input),
  layerWeights: async (input, ctx) => (await import("./layerWeights")).layerWeights(input, ctx),
  trainMlp: async (input, ctx) => (await import("./training")).trainMlp(input, ctx),
  modelInfo: async () => (await import("./ptq")).modelInfo(),
  loadCheckpoint: async (input) => (await import("./ptq")).loadCheckpoint(input),
  ptq: async (input, ctx) => (await import("./ptq")).runPtq(input, ctx),
  qat: async (input, ctx) => (await import("./qat")).runQat(input, ctx),
  qatSweep: async (input, ctx) => (await import("./qat")).runSweep(input, ctx),
  qatWeights: async (input) => (await import("./qat")).qatWeights(input),
  classify: async (input) => (await import("./digits")).classify(input),
  prepareModels: async (input, ctx) => (await import("./digits")).prepareModels(input, ctx),
  testDigit: async (input) => (await import("./digits")).testDigit(input),
  gemmBench: async (input, ctx) => (await import("./gemmBench")).gemmBench(input, ctx),
};
