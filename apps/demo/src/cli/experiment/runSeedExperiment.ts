import { batches } from "@quantkit/datasets";
import { createCpuKernels } from "@quantkit/kernels";
import { Adam, createMlp, evaluate, fit, type Module, serializeSafetensors, stateDict } from "@quantkit/nn";
import { assertOptions } from "@quantkit/tensor";
import { _ptqRows } from "./_ptqRows";
import { _fp32FinetuneRow, _qatRows } from "./_qatRows";
import type { _Run } from "./_quantizedRow";
import { _calibrationSplits, _featuresOf } from "./_splits";
import { type _Stage, _stageProgress } from "./_stageProgress";
import { _time, type TimingStats } from "./_time";
import { canRunFloatOnKernels, floatForwardOnKernels } from "./floatForwardOnKernels";
import type {
  SeedExperimentModels,
  SeedExperimentOptions,
  SeedExperimentSummary,
} from "./SeedExperimentSummary";
import { weightOnlyRows } from "./weightOnlyRows";

/** Every key of SeedExperimentOptions: the compiler keeps this list complete (a key left out broke `fp32Model`). */
const _OPTION_KEYS = {
  train: true,
  test: true,
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
  const inputShape = [features];
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
  const repeats = options.timingRepeats ?? 5;
  const { train, test } = options;
  const { calibrationSet, selectionSet } = _calibrationSplits(
    train,
    seed,
    options.calibrationSamples ?? 1000,
    options.selectionSamples ?? 1000,
  );

  const qatModes = options.qat ?? (["scratch", "finetune"] as const);
  const weightOnly = options.weightOnly ?? {};
  const steps =
    (options.fp32Model === undefined ? 1 : 0) +
    3 +
    qatModes.length +
    (qatModes.includes("finetune") ? 1 : 0) +
    (weightOnly === false ? 0 : 1);
  const stages = _stageProgress(steps, progress);
  const testBatch = test.count;
  const timeOn = (fn: () => unknown) => _time(fn, repeats, 1);

  // fp32
  let fp32: Module;
  let epochMs: number[] = [];
  let aborted = false;
  if (options.fp32Model !== undefined) fp32 = options.fp32Model;
  else {
    fp32 = createMlp(layers, { seed });
    const loader = batches(train, { batchSize, shuffle: true, seed });
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
  const fpEval = evaluate(fp32, batches(test, { batchSize: 1000 }));
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
    config: {
      epochs,
      batchSize,
      lr,
      seed,
      weightBits,
      activationBits,
      perChannel,
      trainSamples: train.count,
      testSamples: test.count,
      calibrationSamples: calibrationSet.count,
      selectionSamples: selectionSet.count,
      layers,
    },
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

  const run: _Run = {
    layers,
    epochs,
    batchSize,
    lr,
    seed,
    weightBits,
    activationBits,
    perChannel,
    train,
    test,
    calibrationSet,
    selectionSet,
    backends,
    accuracyBackend: backends[0]!,
    stages,
    summaryUnits: 1 + backends.length,
    calibrationBatches: Math.ceil(calibrationSet.count / 100),
    signal,
    timeOn,
    summary,
    models,
    stopped: () => {
      if (signal?.aborted) summary.aborted = true;
      return summary.aborted;
    },
  };
  const reduceRange = weightBits === 8 && activationBits === 8;
  const activationCalibrators =
    options.calibrators ?? (["minmax", "histogram", "percentile", "mse", "entropy"] as const);
  const weightCalibrators = options.weightCalibrators ?? (["minmax", "mse"] as const);
  if (await _ptqRows(run, fp32, activationCalibrators, weightCalibrators, reduceRange))
    return { summary, models };
  const qatSettings = {
    modes: qatModes,
    epochs: options.qatEpochs ?? epochs,
    lr: options.qatLr ?? lr,
    finetuneLr: options.finetuneLr ?? lr / 10,
    reduceRange,
  };
  if (await _qatRows(run, fp32, qatSettings)) return { summary, models };
  // The fine-tune's fair baseline: the same extra training in float32 (same start, lr, batches, order).
  if (await _fp32FinetuneRow(run, fp32)) return { summary, models };

  // Weight-only PTQ of the fp32 model (last: the rows before it are the same with or without it).
  if (weightOnly !== false) {
    let st: _Stage | undefined;
    summary.weightOnly = weightOnlyRows(fp32, {
      ...weightOnly,
      calibration: calibrationSet,
      test,
      ...(signal ? { signal } : {}),
      onRow: (done, total, label) => {
        st ??= stages.begin("weight-only", label, total);
        st.advance(done - st.done, label);
      },
    });
    run.stopped();
  }
  return { summary, models };
}
