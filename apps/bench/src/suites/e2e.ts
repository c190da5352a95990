import { existsSync } from "node:fs";
import { availableGpuBackends, createGpuKernels, type GpuKernels } from "@quantkit/kernels-gpu";
import { benchInference } from "../../../../packages/ptq/bench/inference.bench";
import { type AccuracyBenchDataset, benchAccuracy } from "../../../demo/bench/accuracy.bench";
import type { Suite, SuiteContext } from "../context";
import { type BenchEntry, benchEntry } from "../packageBench";
import { caseTiming } from "./_cases";

/**
 * Bit widths of the accuracy runs: the 8, 6, 4, 3, 2 in both modes (each width trains QAT twice
 * and tries ten PTQ calibrator pairs: about 15 s per width on the bundled MNIST split here).
 */
const BITS = { quick: [8, 6, 4, 3, 2], full: [8, 6, 4, 3, 2] };

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Method names for the keys of a seed-experiment summary ({ fp32, ptq, ptqBest, qat, qatFinetune }). */
const METHOD_OF_KEY: Record<string, string> = {
  fp32: "fp32",
  ptq: "ptq",
  ptqBest: "ptq-best",
  qat: "qat",
  qatFinetune: "qat-finetune",
};

/**
 * The rows of whatever a bench function returned: every object with a numeric `accuracy` or `medianMs`
 * found in it (arrays and nested objects walked, 5 levels deep), a row without a `method` taking it from
 * its key (`ptq`, `qatFinetune`…), and without `bits` from `weightBits`.
 */
export function rowsOf(
  value: unknown,
  key = "",
  depth = 0,
  out: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  if (depth > 5) return out;
  if (Array.isArray(value)) {
    for (const v of value) rowsOf(v, key, depth + 1, out);
    return out;
  }
  if (!isRecord(value)) return out;
  if (typeof value.accuracy === "number" || typeof value.medianMs === "number") {
    const row: Record<string, unknown> = { ...value };
    if (row.method === undefined && METHOD_OF_KEY[key]) row.method = METHOD_OF_KEY[key];
    if (row.bits === undefined && typeof row.weightBits === "number") row.bits = row.weightBits;
    out.push(row);
    if (typeof value.accuracy === "number") return out;
  }
  for (const [k, v] of Object.entries(value)) rowsOf(v, k, depth + 1, out);
  return out;
}

const fraction = (x: number) => (x > 1 ? x / 100 : x);

/**
 * Records accuracy rows (a number `accuracy`, its `bits`, `calibrator`, `method`) as accuracy metrics,
 * the fp32 model's accuracy once per data set, and the model file sizes (`sizeBytes`). The "ptq-best"
 * rows' calibrator (chosen per bit width on held-out samples) goes to params.chosen, so that they form
 * one curve. Returns how many values were recorded.
 */
export function recordAccuracy(ctx: SuiteContext, rows: Record<string, unknown>[], dataset: string): number {
  let n = 0;
  const ds = dataset ? `/${dataset}` : "";
  const on = dataset ? `, ${dataset}` : "";
  for (const r of rows) {
    if (typeof r.accuracy !== "number") continue;
    const method = String(r.method ?? "").toLowerCase();
    if (method === "fp32") {
      if (ctx.metrics.some((x) => x.id === `accuracy${ds}/fp32`)) continue;
      ctx.metric({
        id: `accuracy${ds}/fp32`,
        kind: "accuracy",
        label: `fp32 model accuracy (test set${on})`,
        value: fraction(r.accuracy),
        unit: "fraction",
        better: "higher",
        params: { method: "fp32", ...(dataset ? { dataset } : {}) },
      });
      if (typeof r.sizeBytes === "number") {
        ctx.metric({
          id: `model-size${ds}/fp32`,
          kind: "model-size",
          label: `fp32 model file${on}`,
          value: r.sizeBytes,
          unit: "bytes",
          better: "lower",
          params: { method: "fp32", ...(dataset ? { dataset } : {}) },
        });
      }
      n++;
      continue;
    }
    const bits = Number(r.bits ?? r.weightBits);
    if (!method || !Number.isInteger(bits)) continue;
    const best = method === "ptq-best";
    const calibrator = best ? "best of held-out" : String(r.calibrator ?? "default");
    const id = `accuracy${ds}/${method}/${calibrator}/${bits}`;
    if (ctx.metrics.some((x) => x.id === id)) continue;
    const params = {
      method,
      bits,
      calibrator,
      ...(dataset ? { dataset } : {}),
      ...(best && r.calibrator !== undefined
        ? { chosen: `${String(r.calibrator)} / ${String(r.weightCalibrator ?? "")}` }
        : {}),
      headline: !best && (bits === 8 || bits === 4) && (dataset === "" || dataset === "mnist"),
    };
    ctx.metric({
      id,
      kind: "accuracy",
      label: `${method.toUpperCase()} ${bits}-bit accuracy (${calibrator}${on})`,
      value: fraction(r.accuracy),
      unit: "fraction",
      better: "higher",
      params,
    });
    if (typeof r.sizeBytes === "number") {
      ctx.metric({
        id: `model-size${ds}/${method}/${bits}`,
        kind: "model-size",
        label: `${method.toUpperCase()} ${bits}-bit model file${on}`,
        value: r.sizeBytes,
        unit: "bytes",
        better: "lower",
        params: { method, bits, ...(dataset ? { dataset } : {}) },
      });
    }
    n++;
  }
  return n;
}

/**
 * ptq's benchInference: the seed MLP over the test set in one batch, fp32 (nn's forward and each
 * backend's matmulF32) against the int8 integer model on each backend, paired round by round. GPU
 * backends go in as extra backends (a quick run takes headless-gl only: gpu.js's JS and WebAssembly
 * fallbacks take seconds per test-set pass).
 */
async function packageInference(ctx: SuiteContext, bench: BenchEntry<typeof benchInference>): Promise<void> {
  const extra: { name: string; kernels: GpuKernels }[] = [];
  const all = availableGpuBackends().filter((b) => b !== "webgpu");
  for (const b of ctx.mode === "quick" ? all.filter((x) => x === "headlessgl") : all) {
    try {
      const k = createGpuKernels({ backend: b });
      extra.push({ name: `gpu.js ${k.backend}`, kernels: k });
    } catch (err) {
      ctx.note(
        `inference: createGpuKernels({ backend: "${b}" }) failed: ${(err as Error).message.split("\n")[0]}`,
      );
    }
  }
  const rounds = ctx.mode === "quick" ? 5 : ctx.method.repetitions;
  const result = await bench.fn({ rounds, warmup: 1, extraBackends: extra });
  for (const k of extra) await k.kernels.destroy();
  const { samples } = result;
  // "int8 gpu.js headlessgl" -> "mlp.int8/gpu.js-headlessgl/2004"
  const idOf = (variant: string) => `mlp.${variant.replace(" ", "/").replace(/ /g, "-")}/${samples}`;
  for (const r of result.rows) {
    const { variant } = r;
    const t = caseTiming(r, {
      id: idOf(variant),
      op: `mlp.inference.${r.precision}`,
      impl: "quantkit",
      role: "quantkit",
      backend: r.backend === "nn" ? "js (@quantkit/nn)" : r.backend,
      size: samples,
      sizeUnit: "samples",
      shape: `${samples}x784`,
      throughput: { unit: "samples/s", per: 1 },
      params: { variant, by: bench.name },
      samples: rounds,
    });
    if (t) ctx.addTiming(t);
  }
  for (const r of result.ratios) {
    // "int8 wasm-simd vs fp32 nn": subject and reference variants.
    const m = /^(.+) vs (.+)$/.exec(r.label);
    const { median, min, max } = r;
    if (!m || ![median, min, max].every((x) => Number.isFinite(x) && x > 0)) continue;
    const subject = idOf(m[1]!);
    const reference = idOf(m[2]!);
    if (!ctx.timings.some((t) => t.id === subject) || !ctx.timings.some((t) => t.id === reference)) continue;
    const fp32Of = m[2] === "fp32 nn" ? "fp32 (@quantkit/nn)" : m[2]!;
    ctx.addRatio({
      id: `mlp/${m[1]!.replace(/ /g, "-")}-vs-${m[2]!.replace(/ /g, "-")}/${samples}`,
      label: `MLP inference, ${m[1]} / ${fp32Of}, ${samples} samples`,
      subject,
      reference,
      median,
      min: Math.min(min, median),
      max: Math.max(max, median),
      pairs: rounds,
      headline: false,
    });
  }
}

/**
 * The demo's benchAccuracy (apps/demo/bench): for each data set and bit width (weights and activations alike), fp32, PTQ with
 * PyTorch's default qconfig, PTQ with the best calibrator, QAT from scratch and QAT fine-tuned. A quick
 * run takes the bundled MNIST split; a full run adds Fashion-MNIST when Debian's package is installed.
 */
async function packageAccuracy(ctx: SuiteContext, bench: BenchEntry<typeof benchAccuracy>): Promise<void> {
  const fashion = existsSync("/usr/share/datasets/fashion-mnist");
  const datasets: AccuracyBenchDataset[] =
    ctx.mode === "full" && fashion ? ["mnist", "fashion-mnist"] : ["mnist"];
  if (ctx.mode === "full" && !fashion)
    ctx.note("Fashion-MNIST not installed (Debian's dataset-fashion-mnist): MNIST only");
  const bits = BITS[ctx.mode];
  const total = datasets.length * bits.length;
  const seen = new Set<string>();
  const result = await bench.fn({
    datasets,
    bits,
    // Inference is timed (paired) by benchInference; the accuracy runs skip their own timing.
    timingRepeats: 0,
    onProgress: (dataset, b, p) => {
      seen.add(`${dataset}/${b}`);
      ctx.progress(0.5 + (0.5 * (seen.size - 1)) / total, `${dataset} ${b}-bit: ${p.label ?? p.stage ?? ""}`);
    },
  });
  let recorded = 0;
  for (const row of result.rows) recorded += recordAccuracy(ctx, rowsOf(row.summary), row.dataset);
  if (recorded === 0) ctx.note(`${bench.source} returned no accuracy this suite could read`);
  for (const c of result.checks) ctx.note(`${c.pass ? "PASS" : "FAIL"} ${c.check}: ${c.detail}`);
}

/**
 * The MLP end to end: inference fp32 against int8 per backend (@quantkit/ptq's benchInference) and PTQ
 * and QAT accuracy per bit width and calibrator (the demo's benchAccuracy,
 * apps/demo/bench/accuracy.bench.ts: the seed's experiment, which lives in apps/demo/src/cli/experiment).
 */
export const e2eSuite: Suite = {
  id: "e2e",
  title: "the MLP end to end: PTQ and QAT accuracy per bit width, inference fp32 vs int8",
  package: "@quantkit/ptq, @quantkit/qat",
  async run(ctx) {
    const inference = benchEntry(ctx.repoRoot, "packages/ptq/bench/inference.bench.ts", benchInference);
    const accuracy = benchEntry(ctx.repoRoot, "apps/demo/bench/accuracy.bench.ts", benchAccuracy);
    ctx.progress(0, "inference");
    await packageInference(ctx, inference);
    ctx.progress(0.5, "accuracy");
    await packageAccuracy(ctx, accuracy);
    ctx.source = `${inference.source} + ${accuracy.source}`;
    ctx.progress(1, "done");
  },
};
