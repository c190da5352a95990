import type { Dataset } from "@quantkit/datasets";
import { argmax } from "@quantkit/nn";
import { fakeQuantizedForward, type QuantizedModel, serializeQuantizedModel } from "@quantkit/ptq";
import type { _Stage, _stageProgress } from "./_stageProgress";
import type { TimingStats } from "./_time";
import type {
  ExperimentBackend,
  ModelSummary,
  QuantizedSummary,
  SeedExperimentModels,
  SeedExperimentSummary,
} from "./SeedExperimentSummary";

/** What the stages of one run share: its settings, data, backends, progress and the results so far. */
export interface _Run {
  readonly layers: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly perChannel: boolean;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly calibrationSet: Dataset;
  readonly selectionSet: Dataset;
  readonly backends: readonly ExperimentBackend[];
  /** The first backend: it computes the accuracies. */
  readonly accuracyBackend: ExperimentBackend;
  readonly stages: ReturnType<typeof _stageProgress>;
  /** Units of a quantized model's row: its accuracy, then a test-set pass (timed) on each backend. */
  readonly summaryUnits: number;
  /** Batches of 100 in the calibration split. */
  readonly calibrationBatches: number;
  readonly signal: AbortSignal | undefined;
  /** A test-set pass timed (after one warm-up), or NaN times when timing is off. */
  timeOn(fn: () => unknown): TimingStats;
  readonly summary: SeedExperimentSummary;
  readonly models: SeedExperimentModels;
  /** Whether the signal stopped the run (marks the summary aborted). */
  stopped(): boolean;
}

/** The fraction of positions where `a` and `b` hold the same value. */
export function _fraction(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A quantized model's row: test accuracy on the accuracy backend, agreement with its fake-quantized
 * float simulation, the same output codes on every backend, inference time per backend, file size.
 */
export function _quantizedRow(
  run: _Run,
  q: QuantizedModel,
  extra: Omit<
    QuantizedSummary,
    keyof ModelSummary | "agreement" | "backendsAgree" | "weightBits" | "activationBits"
  >,
  stage: _Stage,
): QuantizedSummary {
  const { test, backends, accuracyBackend } = run;
  const testBatch = test.count;
  stage.advance(0, `${extra.calibrator}: test accuracy`);
  const xq = q.quantizeInput(test.images, testBatch);
  const codes = q.forwardCodes(xq, testBatch, { kernels: accuracyBackend.kernels });
  const predictions = argmax(codes, [testBatch, q.outputSize]);
  const correct = predictions.reduce((n, p, i) => n + (p === test.labels[i] ? 1 : 0), 0);
  const fakeQuantized = fakeQuantizedForward(q, test.images, testBatch);
  const simulated = argmax(fakeQuantized.data, fakeQuantized.shape);
  stage.advance(1);
  const inferenceMs: Record<string, TimingStats> = {};
  let backendsAgree = true;
  for (const b of backends) {
    stage.advance(0, `${extra.calibrator}: inference time, ${b.name}`);
    if (b !== accuracyBackend)
      backendsAgree &&= sameBytes(codes, q.forwardCodes(xq, testBatch, { kernels: b.kernels }));
    inferenceMs[b.name] = run.timeOn(() => q.predict(test.images, testBatch, { kernels: b.kernels }));
    stage.advance(1);
  }
  return {
    accuracy: correct / testBatch,
    correct,
    count: testBatch,
    sizeBytes: serializeQuantizedModel(q).length,
    backend: accuracyBackend.kernels.backend,
    inferenceMs,
    weightBits: run.weightBits,
    activationBits: run.activationBits,
    agreement: _fraction(predictions, simulated),
    backendsAgree,
    ...extra,
  };
}
