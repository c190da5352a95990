import type { ObserverName } from "@quantkit/calibrators";
import {
  type Dataset,
  FASHION_MNIST_DIR,
  loadBundledMnist,
  loadFashionMnist,
  loadMnistIdx,
  MNIST_MEAN,
  MNIST_STD,
  normalize,
  shuffleDataset,
  sliceDataset,
} from "@quantkit/datasets";
import { createCpuKernels } from "@quantkit/kernels";
import { serializeSafetensors, stateDict } from "@quantkit/nn";
import {
  formatQuantizationReport,
  type QuantizedModel,
  quantizationReport,
  serializeQuantizedModel,
} from "@quantkit/ptq";
import type { CPU_BACKENDS, DATASETS } from "./constants";
import { runSeedExperiment } from "./experiment/runSeedExperiment";
import type { ExperimentBackend, SeedExperimentSummary } from "./experiment/SeedExperimentSummary";
import { type CliIo, userPath } from "./io";
import { Progress } from "./progress";
import { commitRun, discardRun, type RunFile, type StagedRun, stageRun } from "./saveRun";
import { type DatasetInfo, formatRunTable } from "./table";

/** Options of `quantkit run`, as commander parses them. */
export interface RunOptions {
  dataset: (typeof DATASETS)[number];
  dataDir?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  bits: number;
  weightBits?: number;
  activationBits?: number;
  perChannel: boolean;
  calibrators: ObserverName[];
  weightCalibrators: ObserverName[];
  calibrationSamples: number;
  selectionSamples: number;
  qat: Array<"scratch" | "finetune">;
  /** Widths of the weight-only PTQ rows (empty: none). */
  weightOnly: Array<2 | 3 | 4 | 8>;
  weightOnlyBlockSize: number;
  qatEpochs?: number;
  qatLr?: number;
  finetuneLr?: number;
  backends: Array<(typeof CPU_BACKENDS)[number]>;
  /** true for the best available gpu.js backend, or a backend name; false with --no-gpu. */
  gpu?: boolean | string;
  timingRepeats: number;
  trainLimit?: number;
  testLimit?: number;
  json: boolean;
  save?: string;
  report: boolean;
  progress: boolean;
}

/** The normalisation constants per data set: MNIST's (the seed's) and Fashion-MNIST's usual ones. */
const NORMALIZATION: Record<string, { mean: number; std: number }> = {
  mnist: { mean: MNIST_MEAN, std: MNIST_STD },
  "fashion-mnist": { mean: 0.286, std: 0.353 },
};

/** The train/test split of a run, normalised, optionally limited to a seeded subset. */
export async function loadRunData(
  o: Pick<RunOptions, "dataset" | "dataDir" | "seed" | "trainLimit" | "testLimit">,
): Promise<{
  train: Dataset;
  test: Dataset;
  info: DatasetInfo;
  /** The number of classes, from the labels of both files before any --train-limit. */
  classes: number;
}> {
  let split: { train: Dataset; test: Dataset };
  let name: string;
  if (o.dataset === "mnist") {
    if (o.dataDir !== undefined) {
      split = await loadMnistIdx(userPath(o.dataDir));
      name = `MNIST (${o.dataDir})`;
    } else {
      split = await loadBundledMnist();
      name = "bundled MNIST";
    }
  } else if (o.dataset === "fashion-mnist") {
    const dir = o.dataDir !== undefined ? userPath(o.dataDir) : FASHION_MNIST_DIR;
    split = await loadFashionMnist(dir);
    name = `Fashion-MNIST (${dir})`;
  } else {
    if (o.dataDir === undefined)
      throw new RangeError("--dataset idx needs --data-dir DIR (a directory of MNIST-format IDX files)");
    split = await loadMnistIdx(userPath(o.dataDir));
    name = `IDX data (${o.dataDir})`;
  }
  // Classes from every label of both files, before --train-limit can leave some out.
  let classes = 0;
  const seen = new Set<number>();
  for (const d of [split.train, split.test]) {
    for (let i = 0; i < d.count; i++) {
      classes = Math.max(classes, d.labels[i]! + 1);
      seen.add(d.labels[i]!);
    }
  }
  if (seen.size < 2) {
    throw new RangeError(
      `${name}: every label is ${[...seen][0]}: a classifier needs at least two classes in the data`,
    );
  }
  let norm = NORMALIZATION[o.dataset === "mnist" ? "mnist" : o.dataset];
  if (norm === undefined) {
    // Any other IDX data: its own training-set mean and standard deviation.
    let sum = 0;
    let sq = 0;
    for (const v of split.train.images) {
      sum += v;
      sq += v * v;
    }
    const n = split.train.images.length;
    const mean = sum / n;
    norm = { mean, std: Math.sqrt(Math.max(sq / n - mean * mean, 1e-12)) };
  }
  let train = normalize(split.train, norm);
  let test = normalize(split.test, norm);
  if (o.trainLimit !== undefined && o.trainLimit < train.count)
    train = sliceDataset(shuffleDataset(train, o.seed), 0, o.trainLimit);
  if (o.testLimit !== undefined && o.testLimit < test.count)
    test = sliceDataset(shuffleDataset(test, o.seed), 0, o.testLimit);
  return { train, test, info: { name, train: train.count, test: test.count }, classes };
}

/** The backends of a run: the CPU kernels asked for, plus gpu.js when asked for or when headless-gl is there. */
export async function createBackends(
  o: Pick<RunOptions, "backends" | "gpu">,
  io: CliIo,
): Promise<{
  backends: ExperimentBackend[];
  dispose: () => Promise<void>;
}> {
  const backends: ExperimentBackend[] = [];
  const disposers: Array<() => Promise<void>> = [];
  for (const b of o.backends) {
    const k = createCpuKernels({ simd: b === "wasm-simd" });
    if (b === "wasm-simd" && k.backend !== "wasm-simd")
      io.err("quantkit: WebAssembly SIMD is not available here; the js kernels run instead\n");
    if (!backends.some((x) => x.name === k.backend)) backends.push({ name: k.backend, kernels: k });
  }
  // GPU: asked for (--gpu [backend]), or present (an X display and headless-gl), unless --no-gpu.
  const wanted = o.gpu;
  if (wanted !== false && (wanted !== undefined || process.env.DISPLAY)) {
    try {
      const gpu = await import("@quantkit/kernels-gpu");
      const request = typeof wanted === "string" ? wanted : "gpu";
      const backend = request === "gpu" ? request : gpu.GPU_BACKENDS.find((b) => b === request);
      if (backend === undefined) {
        throw new RangeError(
          `--gpu must be one of ${gpu.GPU_BACKENDS.join(", ")} (or none: the best available); got ${JSON.stringify(request)}`,
        );
      }
      if (wanted !== undefined || gpu.isGpuBackendSupported("headlessgl")) {
        const k = gpu.createGpuKernels({ backend });
        backends.push({ name: `gpu.js ${k.backend}`, kernels: k });
        disposers.push(() => k.destroy());
      }
    } catch (error) {
      if (wanted !== undefined) throw error;
      io.err(`quantkit: no GPU backend (${(error as Error).message.split("\n")[0]})\n`);
    }
  }
  if (backends.length === 0)
    throw new RangeError("no backend to run on: --backends lists none and no GPU backend was asked for");
  return { backends, dispose: async () => void (await Promise.all(disposers.map((d) => d()))) };
}

/** The file names `--save` writes. */
export function savedNames(s: SeedExperimentSummary): Record<string, string> {
  const tag = `w${s.config.weightBits}a${s.config.activationBits}`;
  const base = s.config.weightBits === 8 && s.config.activationBits === 8 ? "int8" : tag;
  return {
    fp32: "mlp-fp32.safetensors",
    ptq: `mlp-${base}.safetensors`,
    ptqBest: `mlp-${base}-best.safetensors`,
    qat: `mlp-${base}-qat.safetensors`,
    qatFinetune: `mlp-${base}-qat-finetune.safetensors`,
  };
}

/**
 * `quantkit run`: loads the data, runs the seed's experiment (`runSeedExperiment` of ./experiment)
 * with progress bars on stderr (Ctrl-C stops after the current step and prints what is done; a second
 * Ctrl-C exits at once), prints the table (or `--json`), and with `--save DIR` writes the fp32
 * checkpoint, the integer models and results.json. Resolves to the exit code (130 when interrupted).
 */
export async function runCommand(o: RunOptions, io: CliIo, signal?: AbortSignal): Promise<number> {
  // --save is checked (and its staging directory made) before any work: a bad path fails at once.
  const staged = o.save !== undefined ? await stageRun(userPath(o.save)) : undefined;
  try {
    return await _run(o, io, staged, signal);
  } finally {
    if (staged !== undefined) await discardRun(staged);
  }
}

/** The run files of `--save`: the fp32 checkpoint and the integer models, each tagged with the run id. */
function runFiles(
  staged: StagedRun,
  summary: SeedExperimentSummary,
  models: Awaited<ReturnType<typeof runSeedExperiment>>["models"],
): RunFile[] {
  const names = savedNames(summary);
  const metadata = { run_id: staged.runId };
  const files: RunFile[] = [
    {
      name: names.fp32!,
      bytes: serializeSafetensors(
        stateDict(models.fp32),
        { format: "pt", layers: summary.config.layers.join(","), ...metadata },
        { checksum: true },
      ),
    },
  ];
  for (const key of ["ptq", "ptqBest", "qat", "qatFinetune"] as const) {
    const m = models[key];
    if (m !== undefined) files.push({ name: names[key]!, bytes: serializeQuantizedModel(m, { metadata }) });
  }
  return files;
}

async function _run(
  o: RunOptions,
  io: CliIo,
  staged: StagedRun | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const progress = new Progress(io, o.progress && io.errIsTTY);
  const { train, test, info, classes } = await loadRunData(o);
  const { backends, dispose } = await createBackends(o, io);
  try {
    const { summary, models } = await runSeedExperiment({
      train,
      test,
      classes,
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      seed: o.seed,
      bits: o.bits,
      ...(o.weightBits !== undefined ? { weightBits: o.weightBits } : {}),
      ...(o.activationBits !== undefined ? { activationBits: o.activationBits } : {}),
      perChannel: o.perChannel,
      calibrators: o.calibrators,
      weightCalibrators: o.weightCalibrators,
      calibrationSamples: o.calibrationSamples,
      selectionSamples: o.selectionSamples,
      qat: o.qat,
      weightOnly:
        o.weightOnly.length === 0 ? false : { bits: o.weightOnly, blockSize: o.weightOnlyBlockSize },
      ...(o.qatEpochs !== undefined ? { qatEpochs: o.qatEpochs } : {}),
      ...(o.qatLr !== undefined ? { qatLr: o.qatLr } : {}),
      ...(o.finetuneLr !== undefined ? { finetuneLr: o.finetuneLr } : {}),
      backends,
      timingRepeats: o.timingRepeats,
      ...(signal ? { signal } : {}),
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    // Results are printed first, then saved: a failing save loses nothing that was computed.
    const files = staged !== undefined ? runFiles(staged, summary, models) : [];
    const saved: Record<string, string> = {};
    if (staged !== undefined) {
      const names = savedNames(summary);
      for (const [key, name] of Object.entries(names))
        if (files.some((f) => f.name === name)) saved[key] = `${staged.dir}/${name}`;
      saved.results = `${staged.dir}/results.json`;
    }
    if (o.json) {
      io.out(
        `${JSON.stringify({ dataset: info, backends: backends.map((b) => b.name), ...summary, ...(o.save ? { saved } : {}) }, null, 2)}\n`,
      );
    } else {
      io.out(
        formatRunTable(summary, info, {
          ...(io.outColumns !== undefined ? { columns: io.outColumns } : {}),
          color: io.outColor === true,
        }),
      );
      if (o.report) {
        const n = Math.min(test.count, 1000);
        for (const [label, m] of [
          ["ptq", models.ptq],
          ["ptq best", models.ptqBest],
        ] as Array<[string, QuantizedModel | undefined]>) {
          if (m === undefined) continue;
          const rows = quantizationReport(
            m,
            models.fp32,
            test.images.subarray(0, n * (test.images.length / test.count)),
            n,
            {
              kernels: backends[0]!.kernels,
            },
          );
          io.out(
            `\nper-layer report, ${label} (${n} test samples; SQNR against the fp32 model's activations):\n${formatQuantizationReport(rows)}\n`,
          );
        }
      }
    }
    if (staged !== undefined) {
      await commitRun(staged, files, { dataset: info, ...summary });
      if (!o.json) io.out(`saved: ${Object.values(saved).join(", ")}\n`);
    }
    return summary.aborted ? 130 : 0;
  } finally {
    progress.stop();
    await dispose();
  }
}
