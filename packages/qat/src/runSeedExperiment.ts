import type { ObserverName } from "@quantkit/calibrators";
import { createCpuKernels, type Kernels } from "@quantkit/kernels";
import {
  Adam,
  createMlp,
  evaluate,
  fit,
  loadStateDict,
  type Module,
  serializeSafetensors,
  stateDict,
} from "@quantkit/nn";
import {
  calibrate,
  convert,
  createQConfig,
  defaultPerChannelQConfig,
  defaultQConfig,
  fakeQuantizedForward,
  prepare,
  type QConfig,
  type QuantizedModel,
  serializeQuantizedModel,
} from "@quantkit/ptq";
import { Rng } from "@quantkit/tensor";
import { _batchesOf, _featuresOf, _gather, type LabeledData } from "./_data";
import { _time, type TimingStats } from "./_timing";
import { canRunFloatOnKernels, floatForwardOnKernels } from "./floatForwardOnKernels";
import { prepareQat } from "./prepareQat";
import { disableObserver } from "./switches";

/** A backend to time inference on: a name for the table and a `Kernels` object. */
export interface ExperimentBackend {
  readonly name: string;
  readonly kernels: Kernels;
}

/** Progress of {@link runSeedExperiment}, for progress bars. */
export interface ExperimentProgress {
  /** "train", "qat-scratch", "qat-finetune", "calibrate", "evaluate", "time". */
  readonly stage: string;
  /** What is being done, for a label ("fp32 epoch 1/1", "histogram"). */
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** The last training loss, while training. */
  readonly loss?: number;
}

/** Options of {@link runSeedExperiment}; the defaults are the seed's experiment. */
export interface SeedExperimentOptions {
  readonly train: LabeledData;
  readonly test: LabeledData;
  /** One sample's shape. Default [values per sample] (an MLP's input). */
  readonly inputShape?: readonly number[];
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

function argmaxRows(v: ArrayLike<number>, rows: number): Int32Array {
  const c = v.length / rows;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (v[r * c + j]! > v[r * c + best]!) best = j;
    out[r] = best;
  }
  return out;
}

function fraction(a: ArrayLike<number>, b: ArrayLike<number>): number {
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
 * The seed's experiment, end to end (what `quantkit run` prints): an MLP (784-100-100-10 by default)
 * trained in fp32 with Adam (lr 1e-3, batch 10, 1 epoch, seed 0), then
 * - `ptq`: post-training quantization with PyTorch's default qconfig (min-max; at 8 bits PyTorch's
 *   `default_qconfig` with 7-bit activations, at other widths min-max over the full ranges);
 * - `ptqBest`: every activation calibrator x weight calibrator, chosen by accuracy on a held-out split
 *   of the training set (disjoint from the calibration samples; the test set is never used to choose);
 * - `qat` (from scratch, the notebook) and `qatFinetune` (from the fp32 weights, lr / 10): training
 *   with fake quantization (`prepareQat`, moving-average min-max observers, frozen before evaluation),
 *   converted to the same integer model;
 * each with its test accuracy, file size in bytes, agreement between the integer model and its
 * fake-quantized float simulation, and test-set inference time per backend (fp32 on the float model
 * and on each backend's `matmulF32`). Stoppable: with `signal` aborted it returns what is done.
 *
 * @example
 * const { train, test } = await loadBundledMnist();
 * const { summary } = await runSeedExperiment({ train: normalize(train), test: normalize(test) });
 * summary.fp32.accuracy     // 0.90…
 * summary.ptq.accuracy      // within a few tenths of a point
 * summary.ptqBest.calibrator // e.g. "histogram"
 * summary.qat.accuracy
 */
export async function runSeedExperiment(
  options: SeedExperimentOptions,
): Promise<{ summary: SeedExperimentSummary; models: SeedExperimentModels }> {
  const features = _featuresOf(options.train, "train");
  if (_featuresOf(options.test, "test") !== features)
    throw new RangeError("train and test samples differ in size");
  const inputShape = options.inputShape ?? [features];
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 10;
  const lr = options.lr ?? 1e-3;
  const seed = options.seed ?? 0;
  const bits = options.bits ?? 8;
  const weightBits = options.weightBits ?? bits;
  const activationBits = options.activationBits ?? bits;
  const perChannel = options.perChannel ?? false;
  const signal = options.signal;
  const progress = options.onProgress ?? (() => {});
  let classes = options.classes ?? 0;
  if (options.classes === undefined)
    for (let i = 0; i < options.train.count; i++) classes = Math.max(classes, options.train.labels[i]! + 1);
  const layers = [features, ...(options.hidden ?? [100, 100]), classes];
  const backends = options.backends ?? [{ name: "cpu", kernels: createCpuKernels() }];
  if (backends.length === 0) throw new RangeError("backends must hold at least one backend");
  const accuracyBackend = backends[0]!;
  const repeats = options.timingRepeats ?? 5;
  const { train, test } = options;

  const split = new Rng(seed + 1).permutation(train.count);
  // A small training set is split in halves at most.
  const calibrationSamples = Math.min(options.calibrationSamples ?? 1000, Math.floor(train.count / 2));
  const selectionSamples = Math.min(options.selectionSamples ?? 1000, train.count - calibrationSamples);
  if (calibrationSamples <= 0 || selectionSamples <= 0)
    throw new RangeError("the training set is too small for calibration and selection splits");
  const calibrationSet = _gather(train, split.subarray(0, calibrationSamples));
  const selectionSet = _gather(
    train,
    split.subarray(calibrationSamples, calibrationSamples + selectionSamples),
  );

  const config = {
    epochs,
    batchSize,
    lr,
    seed,
    weightBits,
    activationBits,
    perChannel,
    trainSamples: train.count,
    testSamples: test.count,
    calibrationSamples,
    selectionSamples,
    layers,
  };
  const testBatch = test.count;
  const timeOn = (fn: () => unknown) =>
    repeats > 0
      ? _time(fn, repeats, 1)
      : { medianMs: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN, repeats: 0 };

  // fp32
  let fp32: Module;
  let epochMs: number[] = [];
  let aborted = false;
  if (options.fp32Model !== undefined) fp32 = options.fp32Model;
  else {
    fp32 = createMlp(layers, { seed });
    const loader = _batchesOf(train, batchSize, inputShape, new Rng(seed));
    const result = await fit(fp32, loader, {
      optimizer: new Adam(fp32.parameters(), { lr }),
      epochs,
      ...(signal ? { signal } : {}),
      onBatch: ({ epoch, batch, loss }) =>
        progress({
          stage: "train",
          label: `fp32 epoch ${epoch + 1}/${epochs}`,
          done: epoch * loader.length + batch + 1,
          total: epochs * loader.length,
          loss,
        }),
    });
    epochMs = result.epochs.map((e) => e.ms);
    aborted = result.aborted;
  }
  progress({ stage: "evaluate", label: "fp32", done: 0, total: 1 });
  const fpEval = evaluate(fp32, _batchesOf(test, 1000, inputShape));
  progress({ stage: "evaluate", label: "fp32", done: 1, total: 1 });
  const fpTimes: Record<string, TimingStats> = {};
  if (!aborted) {
    fpTimes.nn = timeOn(() => {
      fp32.eval();
      fp32.call(test.images, [testBatch, ...inputShape]);
    });
    if (canRunFloatOnKernels(fp32)) {
      for (const b of backends)
        fpTimes[b.name] = timeOn(() => floatForwardOnKernels(fp32, test.images, testBatch, b.kernels));
    }
  }
  const summary: SeedExperimentSummary = {
    config,
    fp32: {
      accuracy: fpEval.accuracy,
      correct: fpEval.correct,
      count: fpEval.count,
      loss: fpEval.loss,
      sizeBytes: serializeSafetensors(stateDict(fp32)).length,
      backend: "nn",
      inferenceMs: fpTimes,
      epochMs,
      trained: options.fp32Model === undefined,
    },
    aborted,
  };
  const models: SeedExperimentModels = { fp32 };
  if (aborted) return { summary, models };

  const stopped = () => {
    if (signal?.aborted) summary.aborted = true;
    return summary.aborted;
  };

  const quantizedSummary = (
    q: QuantizedModel,
    extra: Omit<
      QuantizedSummary,
      keyof ModelSummary | "agreement" | "backendsAgree" | "weightBits" | "activationBits"
    >,
  ) => {
    const xq = q.quantizeInput(test.images, testBatch);
    const codes = q.forwardCodes(xq, testBatch, { kernels: accuracyBackend.kernels });
    const predictions = argmaxRows(codes, testBatch);
    const correct = predictions.reduce((n, p, i) => n + (p === test.labels[i] ? 1 : 0), 0);
    const simulated = argmaxRows(fakeQuantizedForward(q, test.images, testBatch).data, testBatch);
    const inferenceMs: Record<string, TimingStats> = {};
    let backendsAgree = true;
    for (const b of backends) {
      if (b !== accuracyBackend)
        backendsAgree &&= sameBytes(codes, q.forwardCodes(xq, testBatch, { kernels: b.kernels }));
      inferenceMs[b.name] = timeOn(() => q.predict(test.images, testBatch, { kernels: b.kernels }));
    }
    return {
      accuracy: correct / testBatch,
      correct,
      count: testBatch,
      sizeBytes: serializeQuantizedModel(q).length,
      backend: accuracyBackend.kernels.backend,
      inferenceMs,
      weightBits,
      activationBits,
      agreement: fraction(predictions, simulated),
      backendsAgree,
      ...extra,
    };
  };

  const calibrated = async (qconfig: QConfig, label: string): Promise<QuantizedModel | null> => {
    const prepared = prepare(fp32, qconfig);
    const loader = _batchesOf(calibrationSet, 100, inputShape);
    const r = await calibrate(prepared, loader, {
      ...(signal ? { signal } : {}),
      onProgress: ({ batch }) =>
        progress({ stage: "calibrate", label, done: batch + 1, total: loader.length }),
    });
    return r.aborted ? null : convert(prepared);
  };

  // PTQ with the default qconfig
  const ptqQConfig =
    weightBits === 8 && activationBits === 8
      ? perChannel
        ? defaultPerChannelQConfig
        : defaultQConfig
      : createQConfig({
          weightBits,
          activationBits,
          perChannel,
          name: `minmax w${weightBits}a${activationBits}${perChannel ? " per-channel" : ""}`,
        });
  const reduceRange = weightBits === 8 && activationBits === 8;
  const ptq = await calibrated(ptqQConfig, "minmax (default qconfig)");
  if (ptq === null || stopped()) return { summary: { ...summary, aborted: true }, models };
  models.ptq = ptq;
  summary.ptq = quantizedSummary(ptq, {
    calibrator: "minmax",
    weightCalibrator: "minmax",
    qconfig: ptqQConfig.name ?? "",
  });

  // PTQ with the best calibrator, chosen on the held-out selection split
  const candidates: PtqBestSummary["candidates"] = [];
  let best: {
    q: QuantizedModel;
    qconfig: QConfig;
    calibrator: string;
    weightCalibrator: string;
    accuracy: number;
  } | null = null;
  const selectionX = selectionSet.images;
  for (const calibrator of options.calibrators ??
    (["minmax", "histogram", "percentile", "mse", "entropy"] as const)) {
    for (const weightCalibrator of options.weightCalibrators ?? (["minmax", "mse"] as const)) {
      const qconfig = createQConfig({
        weightBits,
        activationBits,
        perChannel,
        reduceRange,
        activationObserver: calibrator,
        weightObserver: weightCalibrator,
      });
      const q = await calibrated(qconfig, `${calibrator} / weights ${weightCalibrator}`);
      if (q === null || stopped()) return { summary, models };
      const predictions = q.predict(selectionX, selectionSet.count, { kernels: accuracyBackend.kernels });
      const accuracy = fraction(predictions, selectionSet.labels);
      candidates.push({ calibrator, weightCalibrator, selectionAccuracy: accuracy });
      if (best === null || accuracy > best.accuracy)
        best = { q, qconfig, calibrator, weightCalibrator, accuracy };
    }
  }
  if (best !== null) {
    models.ptqBest = best.q;
    summary.ptqBest = {
      ...quantizedSummary(best.q, {
        calibrator: best.calibrator,
        weightCalibrator: best.weightCalibrator,
        qconfig: best.qconfig.name ?? "",
      }),
      selectionAccuracy: best.accuracy,
      candidates,
    };
  }

  // QAT
  for (const mode of options.qat ?? (["scratch", "finetune"] as const)) {
    const qatEpochs = options.qatEpochs ?? epochs;
    const qatLr = mode === "scratch" ? (options.qatLr ?? lr) : (options.finetuneLr ?? lr / 10);
    const qconfig = createQConfig({
      weightBits,
      activationBits,
      perChannel,
      reduceRange,
      qat: true,
      name: `qat w${weightBits}a${activationBits}`,
    });
    const base = createMlp(layers, { seed });
    if (mode === "finetune") loadStateDict(base, stateDict(fp32));
    const qat = prepareQat(base, qconfig);
    const loader = _batchesOf(train, batchSize, inputShape, new Rng(seed));
    const stage = mode === "scratch" ? "qat-scratch" : "qat-finetune";
    const result = await fit(qat, loader, {
      optimizer: new Adam(qat.parameters(), { lr: qatLr }),
      epochs: qatEpochs,
      ...(signal ? { signal } : {}),
      onBatch: ({ epoch, batch, loss }) =>
        progress({
          stage,
          label: `QAT ${mode} epoch ${epoch + 1}/${qatEpochs}`,
          done: epoch * loader.length + batch + 1,
          total: qatEpochs * loader.length,
          loss,
        }),
    });
    if (result.aborted || stopped()) {
      summary.aborted = true;
      return { summary, models };
    }
    disableObserver(qat);
    progress({ stage: "evaluate", label: `QAT ${mode}`, done: 0, total: 1 });
    qat.eval();
    const qatFloat = argmaxRows(qat.call(test.images, [testBatch, ...inputShape]).data, testBatch);
    const q = convert(qat);
    const row: QatSummary = {
      ...quantizedSummary(q, {
        calibrator: "moving_average_minmax",
        weightCalibrator: "moving_average_minmax",
        qconfig: qconfig.name ?? "",
      }),
      mode,
      epochs: qatEpochs,
      lr: qatLr,
      epochMs: result.epochs.map((e) => e.ms),
      fakeQuantAccuracy: fraction(qatFloat, test.labels),
      qatModelAgreement: fraction(
        q.predict(test.images, testBatch, { kernels: accuracyBackend.kernels }),
        qatFloat,
      ),
    };
    progress({ stage: "evaluate", label: `QAT ${mode}`, done: 1, total: 1 });
    if (mode === "scratch") {
      summary.qat = row;
      models.qat = q;
    } else {
      summary.qatFinetune = row;
      models.qatFinetune = q;
    }
  }
  return { summary, models };
}
