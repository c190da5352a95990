import type { ObserverName } from "@quantkit/calibrators";
import type { Dataset } from "@quantkit/datasets";
import type { Kernels } from "@quantkit/kernels";
import type { Module } from "@quantkit/nn";
import type { QuantizedModel } from "@quantkit/ptq";
import type { TimingStats } from "./_time";
import type { WeightOnlyRowsOptions, WeightOnlySummary } from "./weightOnlyRows";

/** A backend to time inference on: a name for the table and a `Kernels` object. */
export interface ExperimentBackend {
  readonly name: string;
  readonly kernels: Kernels;
}

/**
 * Progress of {@link runSeedExperiment}, for progress bars: `done` of `total` units of the current
 * stage (batches, calibration candidates, timed passes: every unit of work is reported), and the stage's
 * place in the run (`step` of `steps`).
 */
export interface ExperimentProgress {
  /** "train", "evaluate", "calibrate", "select", "qat-scratch", "qat-finetune", "fp32-finetune", "weight-only". */
  readonly stage: string;
  /** What is being done, for a label ("fp32 epoch 1/1", "histogram / weights mse"). */
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** The stage's number in the run, from 1, and how many stages the run has. */
  readonly step: number;
  readonly steps: number;
  /** The last training loss, while training. */
  readonly loss?: number;
}

/** Options of {@link runSeedExperiment}; the defaults are the seed's experiment. */
export interface SeedExperimentOptions {
  /** The training set (@quantkit/datasets' `Dataset`); the MLP takes its samples flat. */
  readonly train: Dataset;
  readonly test: Dataset;
  /** Hidden layer sizes of the MLP. Default [100, 100] (784-100-100-10). */
  readonly hidden?: readonly number[];
  /** Classes. Default the largest training label + 1. */
  readonly classes?: number;
  /** A trained fp32 model to start from instead of training one (its accuracy is still measured). */
  readonly fp32Model?: Module;
  /** Default 1. */
  readonly epochs?: number;
  /** Default 10. */
  readonly batchSize?: number;
  /** Adam's learning rate. Default 1e-3. */
  readonly lr?: number;
  /** Seeds the initialisation, the shuffling and the calibration split. Default 0. */
  readonly seed?: number;
  /** Bits of weights and activations (2..8); the `*Bits` options override it. Default 8. */
  readonly bits?: number;
  readonly weightBits?: number;
  readonly activationBits?: number;
  /** Per-channel weight scales everywhere. Default false. */
  readonly perChannel?: boolean;
  /** Activation calibrators tried for the best PTQ. Default minmax, histogram, percentile, mse, entropy. */
  readonly calibrators?: readonly ObserverName[];
  /** Weight calibrators tried with each (per tensor or per channel). Default minmax and mse. */
  readonly weightCalibrators?: readonly ObserverName[];
  /** Training samples the observers see (a seeded draw from the training set). Default 1,000. */
  readonly calibrationSamples?: number;
  /**
   * Other training samples (disjoint from the calibration ones) on which the best calibrator is chosen:
   * held out of calibration, never the test set. Default 1,000.
   */
  readonly selectionSamples?: number;
  /** QAT runs: "scratch" (the notebook: a fresh model), "finetune" (from the fp32 weights). Default both. */
  readonly qat?: ReadonlyArray<"scratch" | "finetune">;
  /** QAT epochs. Default `epochs`. */
  readonly qatEpochs?: number;
  /** QAT-from-scratch learning rate. Default `lr`. */
  readonly qatLr?: number;
  /** QAT fine-tuning learning rate. Default `lr / 10`. */
  readonly finetuneLr?: number;
  /**
   * Weight-only PTQ rows (run last; see `weightOnlyRows`): widths, methods and block size, calibrated on
   * the calibration samples; false skips them. Default bits [4, 3], every method, blocks of 32.
   */
  readonly weightOnly?: false | Pick<WeightOnlyRowsOptions, "bits" | "methods" | "blockSize">;
  /** Backends to evaluate and time on, the first one computing the accuracies. Default: createCpuKernels(). */
  readonly backends?: readonly ExperimentBackend[];
  /** Timed repetitions of a test-set pass per model and backend (after one warm-up); 0 skips timing. Default 5. */
  readonly timingRepeats?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExperimentProgress) => void;
}

/** One model's row of the result table. */
export interface ModelSummary {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  correct: number;
  count: number;
  /** Its safetensors file's size in bytes. */
  sizeBytes: number;
  /** The backend that computed `accuracy` ("nn" for the float model's own forward pass). */
  backend: string;
  /** Test-set inference time per backend (the whole test set in one batch). */
  inferenceMs: Record<string, TimingStats>;
}

/** A quantized model's row. */
export interface QuantizedSummary extends ModelSummary {
  /** Activation calibrator. */
  calibrator: string;
  /** Weight calibrator. */
  weightCalibrator: string;
  /** The qconfig's name. */
  qconfig: string;
  weightBits: number;
  activationBits: number;
  /** Fraction of test predictions where the integer model equals its fake-quantized float simulation. */
  agreement: number;
  /** Whether every backend gave the same output codes on the test set. */
  backendsAgree: boolean;
}

/** The best-calibrator PTQ row: the candidates and their accuracy on the held-out selection split. */
export interface PtqBestSummary extends QuantizedSummary {
  selectionAccuracy: number;
  candidates: Array<{ calibrator: string; weightCalibrator: string; selectionAccuracy: number }>;
}

/** A QAT row. */
export interface QatSummary extends QuantizedSummary {
  mode: "scratch" | "finetune";
  epochs: number;
  lr: number;
  /** Training wall time in ms, per epoch. */
  epochMs: number[];
  /** Accuracy of the QAT model's own fake-quantized float forward pass (observers frozen). */
  fakeQuantAccuracy: number;
  /** Fraction of test predictions where the integer model equals the QAT model's float forward pass. */
  qatModelAgreement: number;
}

/** The JSON-able result of {@link runSeedExperiment}: `quantkit run --json` prints it. */
export interface SeedExperimentSummary {
  config: {
    epochs: number;
    batchSize: number;
    lr: number;
    seed: number;
    weightBits: number;
    activationBits: number;
    perChannel: boolean;
    trainSamples: number;
    testSamples: number;
    calibrationSamples: number;
    selectionSamples: number;
    layers: number[];
  };
  fp32: ModelSummary & { loss: number; epochMs: number[]; trained: boolean };
  ptq?: QuantizedSummary;
  ptqBest?: PtqBestSummary;
  qat?: QatSummary;
  qatFinetune?: QatSummary;
  /**
   * QAT fine-tuning's fair baseline: the fp32 model trained further with the fine-tune's recipe (same
   * epochs, learning rate, batches and order) without fake quantization. The fine-tune trains for extra
   * epochs; compared with fp32 alone, the extra training would look like a gain from quantization.
   */
  fp32Finetune?: ModelSummary & { epochs: number; lr: number; epochMs: number[] };
  /** Weight-only PTQ of the fp32 model: each method at each width (activations float32). */
  weightOnly?: WeightOnlySummary[];
  /** True when the signal stopped the run; the rows done so far are there. */
  aborted: boolean;
}

/** The models behind a summary. */
export interface SeedExperimentModels {
  fp32: Module;
  ptq?: QuantizedModel;
  ptqBest?: QuantizedModel;
  qat?: QuantizedModel;
  qatFinetune?: QuantizedModel;
}
