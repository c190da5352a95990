/**
 * Section 9's jobs: quantization-aware training with @quantkit/qat (fake-quantize modules and the
 * straight-through estimator, trained with @quantkit/nn's fit, then converted to the same integer model
 * as PTQ), the PTQ-vs-QAT sweep over bit widths, and the weights before and after QAT.
 */

import type { LossPoint } from "../lib/lossCurve";
import { MLP_LAYERS } from "../lib/modelSize";
import type { JobContext } from "./dispatcher";
import { keepDerived, loadMnist, store } from "./modelStore";
import { CancelledError } from "./protocol";
import { quantizeAndEvaluate } from "./ptq";
import { fitWithProgress, trainingSubset } from "./training";

export type QatMode = "scratch" | "finetune";

export interface QatInput {
  /** Weight and activation bits, 2..8. */
  bits: number;
  /** From random weights (the deck's notebook) or from the float model's (fine-tuning, lr / 10). */
  mode: QatMode;
  epochs: number;
  trainSize: number;
  seed?: number;
}

export interface QatProgress {
  stage: string;
  fraction: number;
  loss: number | null;
  curve: LossPoint[];
}

export interface QatOutput {
  bits: number;
  mode: QatMode;
  epochs: number;
  trainSize: number;
  lr: number;
  accuracyInt: number;
  /** The float model's accuracy, and PTQ's at the same bits from it (null without a float model). */
  accuracyFp32: number | null;
  accuracyPtq: number | null;
  /**
   * The fair baseline: the same start, learning rate, epochs and digits as the QAT run, trained in
   * float32 without fake quantization. QAT fine-tuning trains for extra epochs: so does this.
   */
  accuracyFp32SameTraining: number;
  /** The version of the float model the run started from or compared with (null: none used). */
  modelVersion: number | null;
  curve: LossPoint[];
  ms: number;
}

/** Keys of what a QAT run leaves in the store. */
export const QAT_KEY = (bits: number) => `qat-w${bits}a${bits}`;
export const QAT_FLOAT_KEY = (bits: number) => `qat-float-w${bits}a${bits}`;

function assertBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8)
    throw new RangeError(`bits must be an integer in 2..8, got ${bits}`);
}

/** One QAT run: prepareQat, fit, freeze the observers, convert, evaluate. */
export async function trainQat(
  input: QatInput,
  ctx: Pick<JobContext<unknown>, "signal">,
  report: (p: { fraction: number; loss: number; curve: LossPoint[] }) => void,
): Promise<{ accuracy: number; curve: LossPoint[]; ms: number; lr: number }> {
  const { bits, mode, epochs, trainSize, seed = 0 } = input;
  assertBits(bits);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 10)
    throw new RangeError(`epochs must be an integer in 1..10, got ${epochs}`);
  const [{ test }, nn, ptq, qat, kernels] = await Promise.all([
    loadMnist(),
    import("@quantkit/nn"),
    import("@quantkit/ptq"),
    import("@quantkit/qat"),
    import("@quantkit/kernels"),
  ]);
  const base = nn.createMlp(MLP_LAYERS, { seed });
  if (mode === "finetune") {
    if (!store.fp32)
      throw new Error(
        "fine-tuning needs the float model: train it in section 8 first, or pick “from scratch”",
      );
    nn.loadStateDict(base, nn.stateDict(store.fp32.model));
  }
  // The deck's notebook trains from scratch at the float lr; fine-tuning starts from a minimum: lr / 10.
  const lr = mode === "scratch" ? 1e-3 : 1e-4;
  const prepared = qat.prepareQat(base, ptq.createQConfig({ bits, qat: true }));
  const data = await trainingSubset(trainSize, seed);
  const { curve, ms } = await fitWithProgress(prepared, data, { epochs, lr, seed, batchSize: 10 }, ctx, (p) =>
    report({ fraction: p.step / p.totalSteps, loss: p.loss, curve: p.curve }),
  );
  qat.disableObserver(prepared);
  const quantized = qat.convert(prepared, { inputShape: [MLP_LAYERS[0]] });
  await kernels.initWasmKernels();
  const predictions = quantized.predict(test.images, test.count, { kernels: kernels.createCpuKernels() });
  let ok = 0;
  for (let i = 0; i < test.count; i++) if (predictions[i] === test.labels[i]) ok++;
  const madeFrom = mode === "finetune" ? store.fp32!.version : null;
  keepDerived(QAT_KEY(bits), quantized, ok / test.count, madeFrom);
  store.extra.set(QAT_FLOAT_KEY(bits), prepared);
  return { accuracy: ok / test.count, curve, ms, lr };
}

/**
 * QAT's fair float baseline: the QAT run's recipe (start, lr, epochs, digits, seed) in float32, no
 * fake quantization. Fine-tuning adds epochs of training; without this baseline the extra epochs look
 * like a gain from quantization.
 */
export async function trainFloatBaseline(
  input: Omit<QatInput, "bits">,
  ctx: Pick<JobContext<unknown>, "signal">,
  report: (fraction: number) => void,
): Promise<number> {
  const { mode, epochs, trainSize, seed = 0 } = input;
  const [{ test }, nn, ds] = await Promise.all([
    loadMnist(),
    import("@quantkit/nn"),
    import("@quantkit/datasets"),
  ]);
  const model = nn.createMlp(MLP_LAYERS, { seed });
  if (mode === "finetune") {
    if (!store.fp32) throw new Error("the fine-tuning baseline needs the float model: train it first");
    nn.loadStateDict(model, nn.stateDict(store.fp32.model));
  }
  const lr = mode === "scratch" ? 1e-3 : 1e-4;
  const data = await trainingSubset(trainSize, seed);
  await fitWithProgress(model, data, { epochs, lr, seed, batchSize: 10 }, ctx, (p) =>
    report(p.step / p.totalSteps),
  );
  return nn.evaluate(model, ds.batches(test, { batchSize: 500 })).accuracy;
}

export async function runQat(input: QatInput, ctx: JobContext<QatProgress>): Promise<QatOutput> {
  ctx.progress({ stage: "loading", fraction: 0, loss: null, curve: [] });
  const q = await trainQat(input, ctx, (p) =>
    ctx.progress({ stage: "1/3 training with fake quantization", ...p, fraction: 0.6 * p.fraction }),
  );
  const accuracyFp32SameTraining = await trainFloatBaseline(input, ctx, (f) =>
    ctx.progress({
      stage: "2/3 the same training in float32 (the fair baseline)",
      fraction: 0.6 + 0.35 * f,
      loss: null,
      curve: q.curve,
    }),
  );
  let accuracyPtq: number | null = null;
  if (store.fp32) {
    ctx.progress({
      stage: `3/3 PTQ at ${input.bits} bits, for comparison`,
      fraction: 0.95,
      loss: null,
      curve: q.curve,
    });
    const p = await quantizeAndEvaluate(store.fp32.model, {
      bits: input.bits,
      calibrator: "minmax",
      perChannel: false,
      calibSize: 500,
      seed: 1,
      signal: ctx.signal,
    });
    if (!p) throw new CancelledError();
    accuracyPtq = p.accuracy;
  }
  return {
    bits: input.bits,
    mode: input.mode,
    epochs: input.epochs,
    trainSize: input.trainSize,
    lr: q.lr,
    accuracyInt: q.accuracy,
    accuracyFp32: store.fp32?.accuracy ?? null,
    accuracyPtq,
    accuracyFp32SameTraining,
    modelVersion: store.fp32?.version ?? null,
    curve: q.curve,
    ms: q.ms,
  };
}

export interface SweepInput {
  bits: number[];
  mode: QatMode;
  epochs: number;
  trainSize: number;
}

export interface SweepRow {
  bits: number;
  ptq: number;
  qat: number;
}

export interface SweepOutput {
  fp32: number;
  /** The float model trained further with QAT's recipe, without fake quantization (the fair baseline). */
  fp32SameTraining: number;
  /** The version of the float model the sweep started from. */
  modelVersion: number;
  rows: SweepRow[];
  mode: QatMode;
  epochs: number;
  trainSize: number;
}

/** PTQ (min-max, 500 calibration digits) and QAT at each bit width, from the worker's float model. */
export async function runSweep(input: SweepInput, ctx: JobContext<QatProgress>): Promise<SweepOutput> {
  const fp = store.fp32;
  if (!fp)
    throw new Error("the sweep compares against the float model: train it first (here or in section 8)");
  if (input.bits.length === 0) throw new RangeError("bits is empty");
  input.bits.forEach(assertBits);
  const rows: SweepRow[] = [];
  const stages = input.bits.length * 2 + 1;
  let stage = 0;
  const fp32SameTraining = await trainFloatBaseline(input, ctx, (f) =>
    ctx.progress({
      stage: `1/${stages} float32 with QAT's extra training (the fair baseline)`,
      fraction: f / stages,
      loss: null,
      curve: [],
    }),
  );
  stage++;
  for (const bits of input.bits) {
    ctx.progress({
      stage: `${stage + 1}/${stages} PTQ at ${bits} bits`,
      fraction: stage / stages,
      loss: null,
      curve: [],
    });
    const p = await quantizeAndEvaluate(fp.model, {
      bits,
      calibrator: "minmax",
      perChannel: false,
      calibSize: 500,
      seed: 1,
      signal: ctx.signal,
    });
    if (!p) throw new CancelledError();
    stage++;
    const q = await trainQat(
      { bits, mode: input.mode, epochs: input.epochs, trainSize: input.trainSize },
      ctx,
      (r) =>
        ctx.progress({
          stage: `${stage + 1}/${stages} QAT at ${bits} bits`,
          fraction: (stage + r.fraction) / stages,
          loss: r.loss,
          curve: r.curve,
        }),
    );
    stage++;
    rows.push({ bits, ptq: p.accuracy, qat: q.accuracy });
  }
  return {
    fp32: fp.accuracy,
    fp32SameTraining,
    modelVersion: fp.version,
    rows,
    mode: input.mode,
    epochs: input.epochs,
    trainSize: input.trainSize,
  };
}

export interface WeightsInput {
  layer: "fc1" | "fc2" | "fc3";
  bits: number;
}

export interface WeightsOutput {
  layer: string;
  bits: number;
  /** The float model's weights, and PTQ's per-tensor symmetric scale for them. */
  fp32: Float32Array;
  fp32Scale: number;
  /** The QAT model's float weights (what training moved) and the scale its fake quantizer froze. */
  qat: Float32Array;
  qatScale: number;
  quantMin: number;
  quantMax: number;
  /** The fraction of weights whose integer code differs between PTQ of the float weights and QAT's. */
  codesChanged: number;
  /** Mean |w_after − w_before|, in steps of the QAT quantizer's grid. */
  meanShiftSteps: number;
}

/** The weights of one layer before (float) and after QAT at `bits`. */
export async function qatWeights(input: WeightsInput): Promise<WeightsOutput> {
  const fp = store.fp32;
  const prepared = store.extra.get(QAT_FLOAT_KEY(input.bits)) as import("@quantkit/nn").Module | undefined;
  if (!fp || !prepared) throw new Error(`run QAT at ${input.bits} bits first (and train the float model)`);
  const [nn, calibrators, quantizers] = await Promise.all([
    import("@quantkit/nn"),
    import("@quantkit/calibrators"),
    import("@quantkit/quantizers"),
  ]);
  const w0 = nn.stateDict(fp.model)[`${input.layer}.weight`]?.data as Float32Array | undefined;
  const w1 = nn.stateDict(prepared)[`${input.layer}.weight`]?.data as Float32Array | undefined;
  if (!w0 || !w1) throw new Error(`no weight named ${input.layer}.weight`);
  const layer = prepared.getSubmodule(input.layer) as unknown as {
    weightFakeQuant?: { scale: Float32Array | null };
  };
  const qatScale = layer.weightFakeQuant?.scale?.[0];
  if (qatScale === undefined) throw new Error(`${input.layer} has no weight fake quantizer`);
  const { quantMin, quantMax } = quantizers.rangeForBits(input.bits, true);
  // PTQ's weight quantization: per-tensor symmetric min-max over the full signed range (createQConfig's).
  const ptqQParams = (w: Float32Array) => {
    const obs = new calibrators.MinMaxObserver({
      dtype: "qint8",
      qscheme: "per_tensor_symmetric",
      quantMin,
      quantMax,
    });
    obs.observe(w);
    return obs.calculateQParams();
  };
  const qatQParams = (l: string) => {
    const m = prepared.getSubmodule(l) as unknown as {
      weightFakeQuant?: { calculateQParams(): import("@quantkit/quantizers").QParams };
    };
    if (!m.weightFakeQuant) throw new Error(`${l} has no weight fake quantizer`);
    return m.weightFakeQuant.calculateQParams();
  };
  const before = quantizers.quantize(w0, [w0.length], ptqQParams(w0));
  const after = quantizers.quantize(w1, [w1.length], qatQParams(input.layer));
  let changed = 0;
  let shift = 0;
  for (let i = 0; i < w0.length; i++) {
    if (before[i] !== after[i]) changed++;
    shift += Math.abs(w1[i]! - w0[i]!);
  }
  return {
    layer: input.layer,
    bits: input.bits,
    fp32: w0.slice(),
    fp32Scale: ptqQParams(w0).scale[0]!,
    qat: w1.slice(),
    qatScale,
    quantMin,
    quantMax,
    codesChanged: changed / w0.length,
    meanShiftSteps: shift / w0.length / qatScale,
  };
}
