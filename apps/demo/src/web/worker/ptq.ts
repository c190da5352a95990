/**
 * Section 8's jobs: post-training quantization of the worker's float MLP with @quantkit/ptq (prepare
 * with a qconfig, calibrate on a slice of the training digits, convert to the integer-only model),
 * then accuracy, agreement, sizes, inference time and the per-layer report; and loading a float
 * checkpoint saved by the command line.
 */
import type { ObserverName } from "@quantkit/calibrators";
import type { LayerReport } from "@quantkit/ptq";
import { MLP_LAYERS } from "../lib/modelSize";
import type { JobContext } from "./dispatcher";
import { keepDerived, loadMnist, setFp32, store } from "./modelStore";
import { CancelledError } from "./protocol";

/** The activation observers a learner can pick (those `createQConfig` takes). */
export type Calibrator = Extract<
  ObserverName,
  "minmax" | "histogram" | "percentile" | "mse" | "entropy" | "moving_average_minmax"
>;

export interface PtqInput {
  calibrator: Calibrator;
  perChannel: boolean;
  /** Weight and activation bits, 2..8. */
  bits: number;
  /** Training digits the observers see, 10..7,996. */
  calibSize: number;
  seed?: number;
}

export interface PtqProgress {
  phase: "calibrating" | "converting" | "evaluating";
  fraction: number;
}

export interface PtqOutput {
  qconfig: string;
  calibrator: Calibrator;
  perChannel: boolean;
  bits: number;
  calibSize: number;
  testCount: number;
  accuracyFp32: number;
  accuracyInt: number;
  /** The fraction of test digits both models classify the same. */
  agreement: number;
  /** Bytes of the float state dict and of the integer model, both as safetensors files. */
  fp32Bytes: number;
  intBytes: number;
  /** Inference over the whole test set, ms. */
  fp32Ms: number;
  intMs: number;
  intBackend: string;
  report: LayerReport[];
  /** The version of the float model quantized. */
  modelVersion: number;
}

export interface ModelInfo {
  trained: boolean;
  accuracy: number | null;
  trainSize: number | null;
  epochs: number | null;
  source: string | null;
  /** Which float model this is: 1 for the first this page made or loaded, then 2… (null: none yet). */
  version: number | null;
}

/** What the worker holds now (a section that opens later shows the model already trained). */
export function modelInfo(): ModelInfo {
  const f = store.fp32;
  return f
    ? {
        trained: true,
        accuracy: f.accuracy,
        trainSize: f.trainSize,
        epochs: f.epochs,
        source: f.trainSize > 0 ? "trained here" : "loaded checkpoint",
        version: f.version,
      }
    : { trained: false, accuracy: null, trainSize: null, epochs: null, source: null, version: null };
}

/** The latest PTQ model of each bit width, for section 10. */
export const PTQ_KEY = (bits: number) => `ptq-w${bits}a${bits}`;

/** A converted integer model and its accuracy on the test set. */
export interface QuantizedResult {
  quantized: import("@quantkit/ptq").QuantizedModel;
  accuracy: number;
  /** Test predictions of the integer model. */
  predictions: Int32Array;
  ms: number;
  backend: string;
}

/**
 * PTQ of `model`: prepare with `createQConfig({ bits, activationObserver, perChannel })`, calibrate
 * on `calibSize` shuffled training digits, convert, and classify the test set with the CPU kernels.
 * Returns undefined when `signal` aborted the calibration.
 */
export async function quantizeAndEvaluate(
  model: import("@quantkit/nn").Module,
  options: {
    bits: number;
    calibrator: Calibrator;
    perChannel: boolean;
    calibSize: number;
    seed: number;
    signal?: AbortSignal;
    onFraction?: (f: number) => void;
  },
): Promise<QuantizedResult | undefined> {
  const [{ train, test }, ptq, ds, kernels] = await Promise.all([
    loadMnist(),
    import("@quantkit/ptq"),
    import("@quantkit/datasets"),
    import("@quantkit/kernels"),
  ]);
  const { bits, calibrator, perChannel, calibSize, seed } = options;
  if (!Number.isInteger(calibSize) || calibSize < 10 || calibSize > train.count) {
    throw new RangeError(`calibSize must be an integer in 10..${train.count}, got ${calibSize}`);
  }
  const qconfig = ptq.createQConfig({ bits, activationObserver: calibrator, perChannel });
  const prepared = ptq.prepare(model, qconfig);
  const calib = ds.sliceDataset(ds.shuffleDataset(train, seed), 0, calibSize);
  const batchSize = 100;
  const nBatches = Math.ceil(calibSize / batchSize);
  const cal = await ptq.calibrate(prepared, ds.batches(calib, { batchSize }), {
    ...(options.signal ? { signal: options.signal } : {}),
    yieldEveryMs: 40,
    onProgress: (p) => options.onFraction?.(p.batch / nBatches),
  });
  if (cal.aborted) return undefined;
  await kernels.initWasmKernels();
  const cpu = kernels.createCpuKernels();
  const quantized = ptq.convert(prepared, {
    inputShape: [MLP_LAYERS[0]],
    info: { qconfig: qconfig.name ?? "", calibrator },
  });
  const t = performance.now();
  const predictions = quantized.predict(test.images, test.count, { kernels: cpu });
  const ms = performance.now() - t;
  let ok = 0;
  for (let i = 0; i < test.count; i++) if (predictions[i] === test.labels[i]) ok++;
  return { quantized, accuracy: ok / test.count, predictions, ms, backend: cpu.backend };
}

export async function runPtq(input: PtqInput, ctx: JobContext<PtqProgress>): Promise<PtqOutput> {
  const fp = store.fp32;
  if (!fp) throw new Error("there is no float model yet: train it first (step 1)");
  const { calibrator, perChannel, bits, calibSize, seed = 1 } = input;
  const [{ test }, ptq, nn, kernels] = await Promise.all([
    loadMnist(),
    import("@quantkit/ptq"),
    import("@quantkit/nn"),
    import("@quantkit/kernels"),
  ]);
  const q = await quantizeAndEvaluate(fp.model, {
    bits,
    calibrator,
    perChannel,
    calibSize,
    seed,
    signal: ctx.signal,
    onFraction: (f) => ctx.progress({ phase: "calibrating", fraction: 0.8 * f }),
  });
  if (!q) throw new CancelledError("calibration was stopped");
  ctx.progress({ phase: "evaluating", fraction: 0.85 });
  await ctx.checkpoint();
  const n = test.count;
  const t = performance.now();
  const fpPred = nn.predict(fp.model, test.images, [n, MLP_LAYERS[0]]);
  const fp32Ms = performance.now() - t;
  let okF = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    if (fpPred[i] === test.labels[i]) okF++;
    if (q.predictions[i] === fpPred[i]) same++;
  }
  ctx.progress({ phase: "evaluating", fraction: 0.95 });
  await ctx.checkpoint();
  const sample = 200;
  const cpu = kernels.createCpuKernels();
  const report = ptq.quantizationReport(
    q.quantized,
    fp.model,
    test.images.subarray(0, sample * MLP_LAYERS[0]),
    sample,
    { kernels: cpu },
  );
  const fp32Bytes = nn.serializeSafetensors(nn.stateDict(fp.model)).length;
  const intBytes = ptq.serializeQuantizedModel(q.quantized).length;
  keepDerived(PTQ_KEY(bits), q.quantized, q.accuracy, fp.version);
  return {
    modelVersion: fp.version,
    qconfig: `w${bits}a${bits} ${calibrator}${perChannel ? " per-channel" : ""}`,
    calibrator,
    perChannel,
    bits,
    calibSize,
    testCount: n,
    accuracyFp32: okF / n,
    accuracyInt: q.accuracy,
    agreement: same / n,
    fp32Bytes,
    intBytes,
    fp32Ms,
    intMs: q.ms,
    intBackend: q.backend,
    report,
  };
}

export interface LoadCheckpointInput {
  /** A safetensors file with the MLP's state dict (fc1.weight, fc1.bias, ..., as `quantkit train` saves). */
  bytes: Uint8Array;
  name: string;
}

/** Loads a float checkpoint into a fresh MLP and evaluates it; it becomes the worker's float model. */
export async function loadCheckpoint(input: LoadCheckpointInput): Promise<ModelInfo> {
  const [{ test }, nn, ds] = await Promise.all([
    loadMnist(),
    import("@quantkit/nn"),
    import("@quantkit/datasets"),
  ]);
  const { tensors } = nn.parseSafetensors(input.bytes, input.name);
  const model = nn.createMlp(MLP_LAYERS, { seed: 0 });
  nn.loadStateDict(model, tensors);
  const { accuracy } = nn.evaluate(model, ds.batches(test, { batchSize: 500 }));
  setFp32({ model, accuracy, trainSize: 0, epochs: 0, seed: 0 });
  return modelInfo();
}
