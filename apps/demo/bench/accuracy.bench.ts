/**
 * The acceptance measurements of the seed's PTQ/QAT experiment: for each data set (the bundled MNIST
 * split, Fashion-MNIST 60,000/10,000) and each bit width (weights and activations alike), fp32, PTQ
 * with PyTorch's default qconfig (min-max), PTQ with the best calibrator (chosen on held-out training
 * samples), QAT from scratch and QAT fine-tuned from the fp32 weights; with sizes, training time per
 * epoch, integer-vs-fake-quant agreement and int8-vs-fp32 inference time. The fp32 model is trained
 * once per data set (1 epoch, Adam 1e-3, batch 10, seed 0) and shared by every bit width.
 *
 *   npx tsx --conditions=@quantkit/source apps/demo/bench/accuracy.bench.ts [--datasets mnist,fashion-mnist] [--bits 8,4,3,2] [--seed 0] [--json out.json]
 *
 * `benchAccuracy(options)` is the measuring function (apps/bench calls it).
 */
import { writeFile } from "node:fs/promises";
import {
  type Dataset,
  loadBundledMnist,
  loadFashionMnist,
  MNIST_MEAN,
  MNIST_STD,
  normalize,
} from "@quantkit/datasets";
import { createCpuKernels, type Kernels } from "@quantkit/kernels";
import type { Module } from "@quantkit/nn";
import { runSeedExperiment } from "../src/cli/experiment/runSeedExperiment";
import type { ExperimentProgress, SeedExperimentSummary } from "../src/cli/experiment/SeedExperimentSummary";

/** The data sets the bench knows. */
export type AccuracyBenchDataset = "mnist" | "fashion-mnist";

/** Options of {@link benchAccuracy}. */
export interface AccuracyBenchOptions {
  /** Default both. */
  datasets?: readonly AccuracyBenchDataset[];
  /** Bit widths of weights and activations. Default 8, 4, 3, 2. */
  bits?: readonly number[];
  /** Default 0. */
  seed?: number;
  /** Fashion-MNIST's directory. Default Debian's. */
  fashionDir?: string;
  /** Extra backends (e.g. gpu.js kernels) the integer models are also run and timed on. */
  extraBackends?: ReadonlyArray<{ name: string; kernels: Kernels }>;
  /** Timed test-set passes per model at 8 bits (other widths are not timed). Default 5. */
  timingRepeats?: number;
  onProgress?: (dataset: string, bits: number, p: ExperimentProgress) => void;
}

/** One table row: a data set at one bit width. */
export interface AccuracyBenchRow {
  dataset: AccuracyBenchDataset;
  bits: number;
  summary: SeedExperimentSummary;
}

/** The acceptance checks, each with the measured numbers. */
export interface AccuracyCheck {
  check: string;
  pass: boolean;
  detail: string;
}

/** What {@link benchAccuracy} returns. */
export interface AccuracyBenchResult {
  rows: AccuracyBenchRow[];
  checks: AccuracyCheck[];
}

/** PyTorch 1.13's fp32 test accuracy on the bundled MNIST split with the seed's hyperparameters. */
export const PYTORCH_MNIST_FP32 = 0.918;

async function load(
  name: AccuracyBenchDataset,
  fashionDir?: string,
): Promise<{ train: Dataset; test: Dataset }> {
  if (name === "mnist") {
    const s = await loadBundledMnist();
    return {
      train: normalize(s.train, { mean: MNIST_MEAN, std: MNIST_STD }),
      test: normalize(s.test, { mean: MNIST_MEAN, std: MNIST_STD }),
    };
  }
  const s = await loadFashionMnist(fashionDir);
  return {
    train: normalize(s.train, { mean: 0.286, std: 0.353 }),
    test: normalize(s.test, { mean: 0.286, std: 0.353 }),
  };
}

const pts = (a: number, b: number) => `${(100 * (a - b)).toFixed(2)} points`;

/** The acceptance section's checks on the rows. */
export function accuracyChecks(rows: readonly AccuracyBenchRow[]): AccuracyCheck[] {
  const checks: AccuracyCheck[] = [];
  for (const ds of new Set(rows.map((r) => r.dataset))) {
    const at = (bits: number) => rows.find((r) => r.dataset === ds && r.bits === bits)?.summary;
    const s8 = at(8);
    if (s8 !== undefined) {
      const fp = s8.fp32.accuracy;
      if (ds === "mnist") {
        checks.push({
          check: `${ds}: fp32 within 1.5 points of PyTorch 1.13 (${PYTORCH_MNIST_FP32})`,
          pass: Math.abs(fp - PYTORCH_MNIST_FP32) <= 0.015,
          detail: `fp32 ${fp.toFixed(4)}: ${pts(fp, PYTORCH_MNIST_FP32)}`,
        });
      }
      if (s8.ptq)
        checks.push({
          check: `${ds}: PTQ int8 within 0.5 points of fp32`,
          pass: Math.abs(s8.ptq.accuracy - fp) <= 0.005,
          detail: `${s8.ptq.accuracy.toFixed(4)} vs ${fp.toFixed(4)}: ${pts(s8.ptq.accuracy, fp)}`,
        });
      for (const q of [s8.qat, s8.qatFinetune]) {
        // One-sided: fine-tuning is one more epoch of training and may well end above fp32.
        if (q)
          checks.push({
            check: `${ds}: QAT (${q.mode}) int8 at most 1 point below fp32`,
            pass: q.accuracy >= fp - 0.01,
            detail: `${q.accuracy.toFixed(4)} vs ${fp.toFixed(4)}: ${pts(q.accuracy, fp)}`,
          });
      }
      if (s8.ptq) {
        checks.push({
          check: `${ds}: int8 file <= 100 KB`,
          pass: s8.ptq.sizeBytes <= 100_000,
          detail: `${s8.ptq.sizeBytes} bytes (fp32 ${s8.fp32.sizeBytes})`,
        });
        const rows8 = [s8.ptq, s8.ptqBest, s8.qat, s8.qatFinetune].filter((r) => r !== undefined);
        checks.push({
          check: `${ds}: integer forward agrees with the fake-quantized float forward on >= 99.5% (int8, every backend gives the same codes)`,
          pass: rows8.every((r) => r.agreement >= 0.995 && r.backendsAgree),
          detail: rows8
            .map((r) => `${(100 * r.agreement).toFixed(2)}%${r.backendsAgree ? "" : " (backends differ)"}`)
            .join(", "),
        });
        const nn = s8.fp32.inferenceMs.nn?.medianMs;
        const int8 = s8.ptq.inferenceMs[s8.ptq.backend]?.medianMs;
        if (nn !== undefined && int8 !== undefined && Number.isFinite(int8)) {
          checks.push({
            check: `${ds}: int8 inference >= 1.5x faster than fp32`,
            pass: nn / int8 >= 1.5,
            detail: `fp32 (nn) ${nn.toFixed(1)} ms, int8 (${s8.ptq.backend}) ${int8.toFixed(1)} ms: ${(nn / int8).toFixed(2)}x`,
          });
        }
      }
    }
    const s4 = at(4);
    if (s4?.ptq)
      checks.push({
        check: `${ds}: 4-bit file <= 60 KB`,
        pass: s4.ptq.sizeBytes <= 60_000,
        detail: `${s4.ptq.sizeBytes} bytes`,
      });
    for (const [bits, margin] of [
      [3, 0.02],
      [2, 0.2],
    ] as const) {
      const s = at(bits);
      if (!s?.ptq) continue;
      for (const q of [s.qat, s.qatFinetune]) {
        if (!q) continue;
        checks.push({
          check: `${ds}: ${bits}-bit QAT (${q.mode}) beats min-max PTQ by >= ${100 * margin} points`,
          pass: q.accuracy - s.ptq.accuracy >= margin,
          detail: `QAT ${q.accuracy.toFixed(4)} vs PTQ ${s.ptq.accuracy.toFixed(4)}: ${pts(q.accuracy, s.ptq.accuracy)}`,
        });
      }
    }
  }
  return checks;
}

/**
 * Runs the experiment for every data set and bit width and checks the acceptance criteria.
 *
 * @example
 * const { rows, checks } = await benchAccuracy({ datasets: ["mnist"], bits: [8, 3, 2] });
 * checks.filter((c) => !c.pass) // what missed, with the numbers
 */
export async function benchAccuracy(options: AccuracyBenchOptions = {}): Promise<AccuracyBenchResult> {
  const rows: AccuracyBenchRow[] = [];
  const backends = [
    { name: "wasm-simd", kernels: createCpuKernels() as Kernels },
    ...(options.extraBackends ?? []),
  ];
  for (const ds of options.datasets ?? (["mnist", "fashion-mnist"] as const)) {
    const { train, test } = await load(ds, options.fashionDir);
    let fp32: Module | undefined;
    let fp32Row: SeedExperimentSummary["fp32"] | undefined;
    // 8 bits first when asked for: it trains the fp32 model and times inference.
    const bitsList = [...(options.bits ?? [8, 4, 3, 2])].sort((a, b) => (a === 8 ? -1 : b === 8 ? 1 : b - a));
    for (const bits of bitsList) {
      const { summary, models } = await runSeedExperiment({
        train,
        test,
        bits,
        seed: options.seed ?? 0,
        backends,
        timingRepeats: bits === 8 ? (options.timingRepeats ?? 5) : 0,
        ...(fp32 !== undefined ? { fp32Model: fp32 } : {}),
        // The weight-only rows depend on the fp32 model alone: measured once, with the run that trains it.
        ...(fp32 !== undefined ? { weightOnly: false as const } : {}),
        ...(options.onProgress
          ? { onProgress: (p: ExperimentProgress) => options.onProgress!(ds, bits, p) }
          : {}),
      });
      // The fp32 row is the trained model's, whichever run trained it.
      if (fp32Row === undefined) fp32Row = summary.fp32;
      else
        summary.fp32 = {
          ...summary.fp32,
          epochMs: fp32Row.epochMs,
          trained: true,
          inferenceMs: fp32Row.inferenceMs,
        };
      fp32 ??= models.fp32;
      rows.push({ dataset: ds, bits, summary });
    }
  }
  return { rows, checks: accuracyChecks(rows) };
}

/** The tables of a result, one per data set, and the checks. */
export function formatAccuracyBench(r: AccuracyBenchResult): string {
  const out: string[] = [];
  const pct = (x: number | undefined) => (x === undefined ? "-" : `${(100 * x).toFixed(2)}`);
  for (const ds of new Set(r.rows.map((x) => x.dataset))) {
    const rows = r.rows.filter((x) => x.dataset === ds);
    const s0 = rows[0]!.summary;
    out.push(
      `${ds}: ${s0.config.trainSamples} train / ${s0.config.testSamples} test, fp32 ${pct(s0.fp32.accuracy)}%, fp32 training ${((s0.fp32.epochMs[0] ?? Number.NaN) / 1000).toFixed(1)} s per epoch`,
    );
    const cell = (c: string, i: number) => (i === 2 ? ` ${c.padEnd(30)}` : c.padStart(i === 0 ? 6 : 16));
    out.push(
      [
        "bits",
        "ptq %",
        "ptq best % (calibrator)",
        "qat scratch %",
        "qat finetune %",
        "best qat-ptq",
        "agree ptq/qat",
        "size ptq",
        "qat epoch s",
      ]
        .map(cell)
        .join(""),
    );
    for (const { bits, summary: s } of rows) {
      const bestQat = Math.max(s.qat?.accuracy ?? 0, s.qatFinetune?.accuracy ?? 0);
      out.push(
        [
          `w${bits}a${bits}`,
          pct(s.ptq?.accuracy),
          `${pct(s.ptqBest?.accuracy)} (${s.ptqBest?.calibrator}/${s.ptqBest?.weightCalibrator})`,
          pct(s.qat?.accuracy),
          pct(s.qatFinetune?.accuracy),
          s.ptq ? (100 * (bestQat - s.ptq.accuracy)).toFixed(2) : "-",
          `${pct(s.ptq?.agreement)}/${pct(s.qat?.agreement)}`,
          String(s.ptq?.sizeBytes ?? "-"),
          `${((s.qat?.epochMs[0] ?? Number.NaN) / 1000).toFixed(1)}`,
        ]
          .map(cell)
          .join(""),
      );
    }
    out.push("");
  }
  for (const c of r.checks) out.push(`${c.pass ? "PASS" : "MISS"}  ${c.check}: ${c.detail}`);
  return out.join("\n");
}

const isMain = process.argv[1]?.endsWith("accuracy.bench.ts");
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const result = await benchAccuracy({
    datasets: (arg("datasets") ?? "mnist,fashion-mnist").split(",") as AccuracyBenchDataset[],
    bits: (arg("bits") ?? "8,4,3,2").split(",").map(Number),
    seed: Number(arg("seed") ?? 0),
    onProgress: (ds, bits, p) => {
      if (process.stderr.isTTY)
        process.stderr.write(`\r${ds} w${bits}a${bits} ${p.label} ${p.done}/${p.total}\x1b[K`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  const json = arg("json");
  if (json !== undefined) await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatAccuracyBench(result));
  process.exit(0);
}
