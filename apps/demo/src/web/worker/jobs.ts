/**
 * The jobs the compute worker runs, with their input, progress and output types. Shared by the page
 * (type-only) and the worker.
 */
import type { RangeExperimentInput, RangeExperimentOutput } from "../lib/rangeExperiment";
import type {
  ClassifyInput,
  ClassifyOutput,
  PrepareModelsInput,
  PrepareModelsProgress,
  TestDigitOutput,
} from "./digits";
import type { GemmBenchInput, GemmBenchOutput, GemmBenchProgress } from "./gemmBench";
import type { LayerWeightsInput, LayerWeightsOutput } from "./layerWeights";
import type { JobSpec } from "./protocol";
import type { LoadCheckpointInput, ModelInfo, PtqInput, PtqOutput, PtqProgress } from "./ptq";
import type {
  QatInput,
  QatOutput,
  QatProgress,
  SweepInput,
  SweepOutput,
  WeightsInput,
  WeightsOutput,
} from "./qat";
import type { TrainInput, TrainOutput, TrainProgress } from "./training";

/** What the worker can use, as it reports it. */
export interface WorkerInfo {
  offscreenWebgl2: boolean;
  hardwareConcurrency: number;
  userAgent: string;
}

export interface Jobs {
  /** Answers with what the worker can use; the page's first call, which also starts the worker. */
  info: JobSpec<Record<string, never>, never, WorkerInfo>;
  /** Section 5: every range strategy on one tensor. */
  compareRanges: JobSpec<RangeExperimentInput, never, RangeExperimentOutput>;
  /** Section 6: a trained layer's weights (training the MLP first if needed). */
  layerWeights: JobSpec<LayerWeightsInput, TrainProgress, LayerWeightsOutput>;
  /** Sections 8-9: train the float MLP on the bundled digits. */
  trainMlp: JobSpec<TrainInput, TrainProgress, TrainOutput>;
  /** What float model the worker holds. */
  modelInfo: JobSpec<Record<string, never>, never, ModelInfo>;
  /** Section 8: load a float checkpoint saved by the command line. */
  loadCheckpoint: JobSpec<LoadCheckpointInput, never, ModelInfo>;
  /** Section 8: prepare, calibrate, convert, evaluate. */
  ptq: JobSpec<PtqInput, PtqProgress, PtqOutput>;
  /** Section 9: one QAT run (and PTQ at the same bits for comparison). */
  qat: JobSpec<QatInput, QatProgress, QatOutput>;
  /** Section 9: PTQ and QAT at several bit widths. */
  qatSweep: JobSpec<SweepInput, QatProgress, SweepOutput>;
  /** Section 9: a layer's weights before and after QAT. */
  qatWeights: JobSpec<WeightsInput, never, WeightsOutput>;
  /** Section 10: the three models' answers for a drawn digit. */
  classify: JobSpec<ClassifyInput, never, ClassifyOutput>;
  /** Section 10: make the float, PTQ int8 and QAT int4 models that are missing. */
  prepareModels: JobSpec<PrepareModelsInput, PrepareModelsProgress, ClassifyOutput>;
  /** Section 10: a test digit to try. */
  testDigit: JobSpec<{ index: number }, never, TestDigitOutput>;
  /** Section 7: CPU and GPU GEMMs, timed and checked equal. */
  gemmBench: JobSpec<GemmBenchInput, GemmBenchProgress, GemmBenchOutput>;
}
