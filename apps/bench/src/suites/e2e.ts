import { existsSync } from "node:fs";
import type { MeasuredVariant, Suite, SuiteContext } from "../context";
import { type BenchFunction, findBenchFunction, importPackage, loadBenchModules } from "../packageBench";
import { caseTiming, type PackageCase } from "./_cases";
import { type Kernels, relabel } from "./_kernelsDiscovery";

/** Batch sizes of the inference rounds. */
const INFERENCE_BATCHES = { quick: [1, 64], full: [1, 64, 1000] };
/** The seed deck's MLP ("VerySimpleNet"). */
const MLP = [784, 100, 100, 10];

type Fn = (...args: never[]) => unknown;

/**
 * Inference of the seed's MLP, fp32 (@quantkit/nn's forward) against int8 (@quantkit/ptq's integer-only
 * QuantizedModel) on every kernel backend, in the same rounds, per batch size; the int8 outputs of
 * all backends are checked equal first. The weights are the untrained initialisation (speed does not
 * depend on their values), calibrated on 500 bundled MNIST test images with the default qconfig.
 * Returns a reason when it cannot run (a package or function missing), else null.
 */
async function measureInference(ctx: SuiteContext): Promise<string | null> {
  const [nn, ptq, kernels, gpu, datasets] = await Promise.all(
    ["@quantkit/nn", "@quantkit/ptq", "@quantkit/kernels", "@quantkit/kernels-gpu", "@quantkit/datasets"].map(
      importPackage,
    ),
  );
  for (const p of [nn, ptq, kernels, datasets]) if (!p!.module) return p!.error;
  const api = { ...nn!.module, ...ptq!.module, ...kernels!.module, ...datasets!.module } as Record<
    string,
    Fn
  >;
  const needed = ["createMlp", "prepare", "calibrate", "convert", "createCpuKernels", "loadBundledMnist"];
  const lacking = needed.filter((f) => typeof api[f] !== "function");
  if (lacking.length > 0) return `inference not measured: ${lacking.join(", ")} not exported yet`;
  type Model = { forward(x: Float32Array, shape: number[]): unknown; eval?: () => unknown };
  type QModel = {
    forward(x: Float32Array, batch: number, o?: { kernels?: Kernels }): unknown;
    forwardCodes(xq: Uint8Array, batch: number, o?: { kernels?: Kernels }): Uint8Array;
    quantizeInput(x: Float32Array, batch: number): Uint8Array;
  };
  const createMlp = api.createMlp as unknown as (sizes: number[], o: { seed: number }) => Model;
  const fp32 = createMlp(MLP, { seed: 0 });
  fp32.eval?.();
  const toQuantize = createMlp(MLP, { seed: 0 });
  toQuantize.eval?.();
  const { test } = await (
    api.loadBundledMnist as unknown as () => Promise<{ test: { images: Float32Array; labels: Uint8Array } }>
  )();
  const prepared = (api.prepare as unknown as (m: Model) => Model)(toQuantize);
  const n = 500;
  await (api.calibrate as unknown as (m: Model, b: unknown[]) => Promise<unknown>)(prepared, [
    { x: test.images.subarray(0, n * 784), y: test.labels.subarray(0, n), size: n, shape: [n, 784] },
  ]);
  const quantized = (api.convert as unknown as (m: Model) => QModel)(prepared);

  const createCpu = api.createCpuKernels as unknown as (o?: { simd?: boolean }) => Kernels;
  const backends: Kernels[] = [createCpu({ simd: false }), createCpu()];
  const gpuApi = gpu?.module as Record<string, Fn> | null;
  const gpuKernels: Kernels[] = [];
  if (
    gpuApi &&
    typeof gpuApi.createGpuKernels === "function" &&
    typeof gpuApi.availableGpuBackends === "function"
  ) {
    for (const b of (gpuApi.availableGpuBackends as unknown as () => string[])().filter(
      (x) => x !== "webgpu",
    )) {
      try {
        const k = (gpuApi.createGpuKernels as unknown as (o: { backend: string }) => Kernels)({ backend: b });
        gpuKernels.push(relabel(k, `gpu.js ${k.backend}`));
      } catch (err) {
        ctx.note(
          `inference: createGpuKernels({ backend: "${b}" }) failed: ${(err as Error).message.split("\n")[0]}`,
        );
      }
    }
  }
  const all = [...new Map([...backends, ...gpuKernels].map((k) => [k.backend, k])).values()];
  const batches = INFERENCE_BATCHES[ctx.mode];
  for (const [i, batch] of batches.entries()) {
    ctx.progress((0.5 * i) / batches.length, `MLP inference, batch ${batch}`);
    const x = test.images.subarray(0, batch * 784);
    // Same integers on every backend, or the timings compare different work.
    const xq = quantized.quantizeInput(x, batch);
    const first = quantized.forwardCodes(xq, batch, { kernels: all[0] });
    for (const k of all.slice(1)) {
      const other = quantized.forwardCodes(xq, batch, { kernels: k });
      const bad = other.findIndex((v, j) => v !== first[j]);
      if (bad >= 0)
        throw new Error(`MLP int8 output on ${k.backend} differs from ${all[0]!.backend} at [${bad}]`);
    }
    const common = {
      size: batch,
      sizeUnit: "samples",
      shape: `${batch}x784`,
      throughput: { unit: "samples/s", per: 1 },
    };
    const fp32Id = `mlp.fp32/nn/js/${batch}`;
    const variants: MeasuredVariant[] = [
      {
        ...common,
        id: fp32Id,
        op: "mlp.inference.fp32",
        impl: "quantkit",
        role: "quantkit",
        backend: "js (@quantkit/nn)",
        params: { batch },
        run: () => fp32.forward(x, [batch, 784]),
      },
      ...all.map(
        (k): MeasuredVariant => ({
          ...common,
          id: `mlp.int8/ptq/${k.backend}/${batch}`,
          op: "mlp.inference.int8",
          impl: "quantkit",
          role: "quantkit",
          backend: k.backend,
          params: { batch, includes: "quantizeInput + integer layers + dequantizeOutput" },
          run: () => quantized.forward(x, batch, { kernels: k }),
        }),
      ),
    ];
    await ctx.measure(variants);
    for (const k of all) {
      ctx.ratio(
        `mlp/int8-vs-fp32/${k.backend}/${batch}`,
        `MLP inference, int8 (${k.backend}) / fp32 (@quantkit/nn), batch ${batch}`,
        `mlp.int8/ptq/${k.backend}/${batch}`,
        fp32Id,
      );
    }
  }
  for (const k of [...backends, ...gpuKernels]) {
    const proto = Object.getPrototypeOf(k) as {
      destroy?: () => Promise<void>;
      dispose?: () => Promise<void>;
    };
    const own = k as { destroy?: () => Promise<void>; dispose?: () => Promise<void> };
    await (own.destroy ?? proto.destroy)?.call(k);
    await (own.dispose ?? proto.dispose)?.call(k);
  }
  ctx.note(
    "Inference: the seed MLP 784-100-100-10 with its untrained initialisation (speed does not depend on the values), PTQ default qconfig calibrated on 500 MNIST test images; fp32 is @quantkit/nn's forward, int8 the integer-only QuantizedModel.forward (quantize input, integer layers, dequantize output) on each kernel backend.",
  );
  return null;
}

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
async function packageInference(ctx: SuiteContext, fn: BenchFunction): Promise<void> {
  const gpu = await importPackage("@quantkit/kernels-gpu");
  const extra: { name: string; kernels: Kernels }[] = [];
  const gpuApi = gpu.module as Record<string, Fn> | null;
  if (
    gpuApi &&
    typeof gpuApi.createGpuKernels === "function" &&
    typeof gpuApi.availableGpuBackends === "function"
  ) {
    const all = (gpuApi.availableGpuBackends as unknown as () => string[])().filter((b) => b !== "webgpu");
    for (const b of ctx.mode === "quick" ? all.filter((x) => x === "headlessgl") : all) {
      try {
        const k = (gpuApi.createGpuKernels as unknown as (o: { backend: string }) => Kernels)({ backend: b });
        extra.push({ name: `gpu.js ${k.backend}`, kernels: k });
      } catch (err) {
        ctx.note(
          `inference: createGpuKernels({ backend: "${b}" }) failed: ${(err as Error).message.split("\n")[0]}`,
        );
      }
    }
  }
  const rounds = ctx.mode === "quick" ? 5 : ctx.method.repetitions;
  const result = (await fn.fn({ rounds, warmup: 1, extraBackends: extra })) as {
    samples?: number;
    rows?: Record<string, unknown>[];
    ratios?: Record<string, unknown>[];
  };
  for (const k of extra) await (k.kernels as { destroy?: () => Promise<void> }).destroy?.();
  const samples = Number(result.samples ?? 0);
  // "int8 gpu.js headlessgl" -> "mlp.int8/gpu.js-headlessgl/2004"
  const idOf = (variant: string) => `mlp.${variant.replace(" ", "/").replace(/ /g, "-")}/${samples}`;
  for (const r of result.rows ?? []) {
    const variant = String(r.variant);
    const t = caseTiming(r as PackageCase, {
      id: idOf(variant),
      op: `mlp.inference.${String(r.precision)}`,
      impl: "quantkit",
      role: "quantkit",
      backend: r.backend === "nn" ? "js (@quantkit/nn)" : String(r.backend),
      size: samples,
      sizeUnit: "samples",
      shape: `${samples}x784`,
      throughput: { unit: "samples/s", per: 1 },
      params: { variant, by: fn.name },
      samples: rounds,
    });
    if (t) ctx.addTiming(t);
  }
  for (const r of result.ratios ?? []) {
    // "int8 wasm-simd vs fp32 nn": subject and reference variants.
    const m = /^(.+) vs (.+)$/.exec(String(r.label));
    const [median, min, max] = [Number(r.median), Number(r.min), Number(r.max)];
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
async function packageAccuracy(ctx: SuiteContext, fn: BenchFunction): Promise<void> {
  const fashion = existsSync("/usr/share/datasets/fashion-mnist");
  const datasets = ctx.mode === "full" && fashion ? ["mnist", "fashion-mnist"] : ["mnist"];
  if (ctx.mode === "full" && !fashion)
    ctx.note("Fashion-MNIST not installed (Debian's dataset-fashion-mnist): MNIST only");
  const bits = BITS[ctx.mode];
  const total = datasets.length * bits.length;
  const seen = new Set<string>();
  const result = (await fn.fn({
    datasets,
    bits,
    // Inference is timed (paired) by benchInference; the accuracy runs skip their own timing.
    timingRepeats: 0,
    onProgress: (dataset: string, b: number, p: { stage?: string; label?: string }) => {
      seen.add(`${dataset}/${b}`);
      ctx.progress(0.5 + (0.5 * (seen.size - 1)) / total, `${dataset} ${b}-bit: ${p.label ?? p.stage ?? ""}`);
    },
  })) as {
    rows?: { dataset: string; bits: number; summary: unknown }[];
    checks?: { check: string; pass: boolean; detail: string }[];
  };
  let recorded = 0;
  for (const row of result.rows ?? []) recorded += recordAccuracy(ctx, rowsOf(row.summary), row.dataset);
  if (recorded === 0) ctx.note(`${fn.source} returned no accuracy this suite could read`);
  for (const c of result.checks ?? []) ctx.note(`${c.pass ? "PASS" : "FAIL"} ${c.check}: ${c.detail}`);
}

/**
 * The MLP end to end: inference fp32 against int8 per backend (@quantkit/ptq's benchInference, or the
 * paired rounds of {@link measureInference} when it is missing) and PTQ and QAT accuracy per bit width
 * and calibrator (the demo's benchAccuracy, apps/demo/bench/accuracy.bench.ts: the seed's experiment).
 */
export const e2eSuite: Suite = {
  id: "e2e",
  title: "the MLP end to end: PTQ and QAT accuracy per bit width, inference fp32 vs int8",
  package: "@quantkit/ptq, @quantkit/qat",
  async run(ctx) {
    const sources: string[] = [];
    const ptqBench = findBenchFunction(await loadBenchModules(ctx.repoRoot, "ptq"), /^benchInference/);
    ctx.progress(0, "inference");
    if (ptqBench) {
      await packageInference(ctx, ptqBench);
      sources.push(ptqBench.source);
    } else {
      const why = await measureInference(ctx);
      if (why === null)
        sources.push(
          "inference: @quantkit/nn + @quantkit/ptq public API (apps/bench; ptq has no benchInference yet)",
        );
      else ctx.note(why);
    }
    // The seed's experiment lives in the demo app (apps/demo/src/cli/experiment): its bench is there.
    const accuracyBench = findBenchFunction(
      await loadBenchModules(ctx.repoRoot, "apps/demo/bench"),
      /^benchAccuracy/,
    );
    ctx.progress(0.5, "accuracy");
    if (accuracyBench === null)
      throw new Error(
        "apps/demo/bench/accuracy.bench.ts must export benchAccuracy (the e2e suite's accuracy)",
      );
    await packageAccuracy(ctx, accuracyBench);
    sources.push(accuracyBench.source);
    if (sources.length === 0) {
      return ctx.skip(ctx.notes.join("; "));
    }
    ctx.source = sources.join(" + ");
    ctx.progress(1, "done");
  },
};
