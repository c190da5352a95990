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
import { assertOptions, Rng } from "@quantkit/tensor";
import { _batchesOf, _featuresOf, _gather, type LabeledData } from "./_data";
import { type _Stage, _stageProgress } from "./_stageProgress";
import { _time, type TimingStats } from "./_timing";
import { canRunFloatOnKernels, floatForwardOnKernels } from "./floatForwardOnKernels";
import { prepareQat } from "./prepareQat";
import { disableObserver } from "./switches";
import { type WeightOnlyRowsOptions, type WeightOnlySummary, weightOnlyRows } from "./weightOnlyRows";

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

/** Every key of SeedExperimentOptions: the compiler keeps this list complete (a key left out broke `fp32Model`). */
const _OPTION_KEYS = {
  train: true,
  test: true,
  inputShape: true,
  hidden: true,
  classes: true,
  epochs: true,
  batchSize: true,
  lr: true,
  seed: true,
  bits: true,
  weightBits: true,
  activationBits: true,
  perChannel: true,
  calibrators: true,
  weightCalibrators: true,
  calibrationSamples: true,
  selectionSamples: true,
  qat: true,
  qatEpochs: true,
  qatLr: true,
  finetuneLr: true,
  backends: true,
  timingRepeats: true,
  weightOnly: true,
  signal: true,
  onProgress: true,
  fp32Model: true,
} satisfies Record<keyof SeedExperimentOptions, true>;

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
 * - `fp32Finetune` (with `qatFinetune`): the fine-tune's recipe in float32, no fake quantization, the
 *   fair baseline for it (run last, so the rows before it are the same with or without it);
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
  assertOptions(options, Object.keys(_OPTION_KEYS), "runSeedExperiment options");
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

  const qatModes = options.qat ?? (["scratch", "finetune"] as const);
  const activationCalibrators =
    options.calibrators ?? (["minmax", "histogram", "percentile", "mse", "entropy"] as const);
  const weightCalibrators = options.weightCalibrators ?? (["minmax", "mse"] as const);
  const weightOnly = options.weightOnly ?? {};
  const steps =
    (options.fp32Model === undefined ? 1 : 0) +
    3 +
    qatModes.length +
    (qatModes.includes("finetune") ? 1 : 0) +
    (weightOnly === false ? 0 : 1);
  const stages = _stageProgress(steps, progress);
  // Units of a quantized model's row: its accuracy, then a test-set pass (timed) on each backend.
  const summaryUnits = 1 + backends.length;
  const calibrationBatches = Math.ceil(calibrationSamples / 100);

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
    const st = stages.begin("train", `fp32 epoch 1/${epochs}`, epochs * loader.length);
    const result = await fit(fp32, loader, {
      optimizer: new Adam(fp32.parameters(), { lr }),
      epochs,
      ...(signal ? { signal } : {}),
      onBatch: ({ epoch, loss }) => st.advance(1, `fp32 epoch ${epoch + 1}/${epochs}`, loss),
    });
    epochMs = result.epochs.map((e) => e.ms);
    aborted = result.aborted;
  }
  const onKernels = canRunFloatOnKernels(fp32);
  const evalStage = stages.begin("evaluate", "fp32 accuracy", 2 + (onKernels ? backends.length : 0));
  const fpEval = evaluate(fp32, _batchesOf(test, 1000, inputShape));
  evalStage.advance(1, "fp32 inference time, nn");
  const fpTimes: Record<string, TimingStats> = {};
  if (!aborted) {
    fpTimes.nn = timeOn(() => {
      fp32.eval();
      fp32.call(test.images, [testBatch, ...inputShape]);
    });
    evalStage.advance(1);
    if (onKernels) {
      for (const b of backends) {
        evalStage.advance(0, `fp32 inference time, ${b.name}`);
        fpTimes[b.name] = timeOn(() => floatForwardOnKernels(fp32, test.images, testBatch, b.kernels));
        evalStage.advance(1);
      }
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
    stage: _Stage,
  ) => {
    stage.advance(0, `${extra.calibrator}: test accuracy`);
    const xq = q.quantizeInput(test.images, testBatch);
    const codes = q.forwardCodes(xq, testBatch, { kernels: accuracyBackend.kernels });
    const predictions = argmaxRows(codes, testBatch);
    const correct = predictions.reduce((n, p, i) => n + (p === test.labels[i] ? 1 : 0), 0);
    const simulated = argmaxRows(fakeQuantizedForward(q, test.images, testBatch).data, testBatch);
    stage.advance(1);
    const inferenceMs: Record<string, TimingStats> = {};
    let backendsAgree = true;
    for (const b of backends) {
      stage.advance(0, `${extra.calibrator}: inference time, ${b.name}`);
      if (b !== accuracyBackend)
        backendsAgree &&= sameBytes(codes, q.forwardCodes(xq, testBatch, { kernels: b.kernels }));
      inferenceMs[b.name] = timeOn(() => q.predict(test.images, testBatch, { kernels: b.kernels }));
      stage.advance(1);
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

  const calibrated = async (
    qconfig: QConfig,
    label: string,
    stage: _Stage,
  ): Promise<QuantizedModel | null> => {
    const prepared = prepare(fp32, qconfig);
    const loader = _batchesOf(calibrationSet, 100, inputShape);
    stage.advance(0, label);
    const r = await calibrate(prepared, loader, {
      ...(signal ? { signal } : {}),
      onProgress: () => stage.advance(1),
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
  const ptqStage = stages.begin("calibrate", "minmax (default qconfig)", calibrationBatches + summaryUnits);
  const ptq = await calibrated(ptqQConfig, "minmax (default qconfig)", ptqStage);
  if (ptq === null || stopped()) return { summary: { ...summary, aborted: true }, models };
  models.ptq = ptq;
  summary.ptq = quantizedSummary(
    ptq,
    { calibrator: "minmax", weightCalibrator: "minmax", qconfig: ptqQConfig.name ?? "" },
    ptqStage,
  );

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
  const selectStage = stages.begin(
    "select",
    "choosing the best calibrator",
    activationCalibrators.length * weightCalibrators.length * (calibrationBatches + 1) + summaryUnits,
  );
  for (const calibrator of activationCalibrators) {
    for (const weightCalibrator of weightCalibrators) {
      const qconfig = createQConfig({
        weightBits,
        activationBits,
        perChannel,
        reduceRange,
        activationObserver: calibrator,
        weightObserver: weightCalibrator,
      });
      const q = await calibrated(qconfig, `${calibrator} / weights ${weightCalibrator}`, selectStage);
      if (q === null || stopped()) return { summary, models };
      const predictions = q.predict(selectionX, selectionSet.count, { kernels: accuracyBackend.kernels });
      selectStage.advance(1);
      const accuracy = fraction(predictions, selectionSet.labels);
      candidates.push({ calibrator, weightCalibrator, selectionAccuracy: accuracy });
      if (best === null || accuracy > best.accuracy)
        best = { q, qconfig, calibrator, weightCalibrator, accuracy };
    }
  }
  if (best !== null) {
    models.ptqBest = best.q;
    summary.ptqBest = {
      ...quantizedSummary(
        best.q,
        {
          calibrator: best.calibrator,
          weightCalibrator: best.weightCalibrator,
          qconfig: best.qconfig.name ?? "",
        },
        selectStage,
      ),
      selectionAccuracy: best.accuracy,
      candidates,
    };
  }

  // QAT
  for (const mode of qatModes) {
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
    const qatStage = stages.begin(
      mode === "scratch" ? "qat-scratch" : "qat-finetune",
      `QAT ${mode} epoch 1/${qatEpochs}`,
      qatEpochs * loader.length + 1 + summaryUnits,
    );
    const result = await fit(qat, loader, {
      optimizer: new Adam(qat.parameters(), { lr: qatLr }),
      epochs: qatEpochs,
      ...(signal ? { signal } : {}),
      onBatch: ({ epoch, loss }) => qatStage.advance(1, `QAT ${mode} epoch ${epoch + 1}/${qatEpochs}`, loss),
    });
    if (result.aborted || stopped()) {
      summary.aborted = true;
      return { summary, models };
    }
    disableObserver(qat);
    qatStage.advance(0, `QAT ${mode}: convert`);
    qat.eval();
    const qatFloat = argmaxRows(qat.call(test.images, [testBatch, ...inputShape]).data, testBatch);
    const q = convert(qat);
    qatStage.advance(1);
    const row: QatSummary = {
      ...quantizedSummary(
        q,
        {
          calibrator: "moving_average_minmax",
          weightCalibrator: "moving_average_minmax",
          qconfig: qconfig.name ?? "",
        },
        qatStage,
      ),
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
    if (mode === "scratch") {
      summary.qat = row;
      models.qat = q;
    } else {
      summary.qatFinetune = row;
      models.qatFinetune = q;
    }
  }

  // The fine-tune's fair baseline: the same extra training in float32 (same start, lr, batches, order).
  const finetune = summary.qatFinetune;
  if (finetune !== undefined) {
    const more = createMlp(layers, { seed });
    loadStateDict(more, stateDict(fp32));
    const loader = _batchesOf(train, batchSize, inputShape, new Rng(seed));
    const st = stages.begin(
      "fp32-finetune",
      `fp32 fine-tune epoch 1/${finetune.epochs}`,
      finetune.epochs * loader.length + 1,
    );
    const result = await fit(more, loader, {
      optimizer: new Adam(more.parameters(), { lr: finetune.lr }),
      epochs: finetune.epochs,
      ...(signal ? { signal } : {}),
      onBatch: ({ epoch, loss }) =>
        st.advance(1, `fp32 fine-tune epoch ${epoch + 1}/${finetune.epochs}`, loss),
    });
    if (result.aborted || stopped()) {
      summary.aborted = true;
      return { summary, models };
    }
    st.advance(0, "fp32 fine-tune: test accuracy");
    const e = evaluate(more, _batchesOf(test, 1000, inputShape));
    st.advance(1);
    summary.fp32Finetune = {
      accuracy: e.accuracy,
      correct: e.correct,
      count: e.count,
      sizeBytes: serializeSafetensors(stateDict(more)).length,
      backend: "nn",
      inferenceMs: {},
      epochs: finetune.epochs,
      lr: finetune.lr,
      epochMs: result.epochs.map((x) => x.ms),
    };
  }

  // Weight-only PTQ of the fp32 model (last: the rows before it are the same with or without it).
  if (weightOnly !== false) {
    let st: _Stage | undefined;
    summary.weightOnly = weightOnlyRows(fp32, {
      ...weightOnly,
      calibration: calibrationSet,
      test,
      inputShape,
      ...(signal ? { signal } : {}),
      onRow: (done, total, label) => {
        st ??= stages.begin("weight-only", label, total);
        st.advance(done - st.done, label);
      },
    });
    if (stopped()) return { summary, models };
  }
  return { summary, models };
}
