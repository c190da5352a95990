import type { MeasuredVariant, Suite, SuiteContext } from "../context";
import { type BenchFunction, benchFunctionNames, importPackage, loadBenchModules } from "../packageBench";
import { caseTiming, type PackageCase, slug } from "./_cases";
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

/** The bit widths the issue asks for. */
const BITS = [8, 6, 4, 3, 2];

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
 * Records the rows of ptq's or qat's bench function: accuracy rows (a number `accuracy`, its `bits`,
 * `calibrator` or `observer`, `method`) as accuracy metrics, the fp32 model's accuracy, and rows with a
 * `medianMs` (inference) as timings in samples per second.
 */
function record(
  ctx: SuiteContext,
  fn: BenchFunction,
  method: "ptq" | "qat",
  rows: Record<string, unknown>[],
): number {
  let n = 0;
  for (const r of rows) {
    const m = String(r.method ?? method).toLowerCase();
    const calibrator = String(r.calibrator ?? r.observer ?? "default");
    const fp32 =
      typeof r.fp32Accuracy === "number"
        ? r.fp32Accuracy
        : m === "fp32" && typeof r.accuracy === "number"
          ? r.accuracy
          : null;
    if (fp32 !== null && !ctx.metrics.some((x) => x.id === "accuracy/fp32")) {
      ctx.metric({
        id: "accuracy/fp32",
        kind: "accuracy",
        label: "fp32 model accuracy (test set)",
        value: fraction(fp32),
        unit: "fraction",
        better: "higher",
        params: { method: "fp32" },
      });
      n++;
    }
    const bits = Number(r.bits ?? r.bitWidth);
    if (typeof r.accuracy === "number" && m !== "fp32" && Number.isInteger(bits)) {
      const id = `accuracy/${m}/${calibrator}/${bits}`;
      if (ctx.metrics.some((x) => x.id === id)) continue;
      ctx.metric({
        id,
        kind: "accuracy",
        label: `${m.toUpperCase()} ${bits}-bit accuracy (${calibrator})`,
        value: fraction(r.accuracy),
        unit: "fraction",
        better: "higher",
        params: { method: m, bits, calibrator, headline: bits === 8 || bits === 4 },
      });
      n++;
    }
    if (typeof r.medianMs === "number") {
      const batch = Number(r.batch ?? r.samples ?? r.n ?? 1);
      const name = String(r.name ?? `${String(r.dtype ?? "")} ${String(r.backend ?? "")}`);
      const t = caseTiming(r as PackageCase, {
        id: `${method}/${slug(name)}/${batch}`,
        op: `mlp.inference.${String(r.dtype ?? (/int8/.test(name) ? "int8" : "fp32"))}`,
        impl: "quantkit",
        size: batch,
        sizeUnit: "samples",
        throughput: { unit: "samples/s", per: 1 },
        params: { by: fn.name },
      });
      if (t && !ctx.timings.some((x) => x.id === t.id)) {
        ctx.addTiming(t);
        n++;
      }
    }
  }
  return n;
}

/**
 * The MLP end to end: @quantkit/ptq's and @quantkit/qat's bench functions (accuracy per bit width and
 * calibrator, inference throughput fp32 against int8 per backend).
 */
export const e2eSuite: Suite = {
  id: "e2e",
  title: "the MLP end to end: PTQ and QAT accuracy per bit width, inference fp32 vs int8",
  package: "@quantkit/ptq, @quantkit/qat",
  async run(ctx) {
    const found: { method: "ptq" | "qat"; fn: BenchFunction }[] = [];
    const missing: string[] = [];
    for (const method of ["ptq", "qat"] as const) {
      const modules = await loadBenchModules(ctx.repoRoot, method);
      const names = benchFunctionNames(modules);
      if (names.length === 0) {
        missing.push(
          modules.length === 0
            ? `packages/${method}/bench/*.bench.ts does not exist yet (@quantkit/${method} has not landed its bench)`
            : `packages/${method}/bench exports no bench… function yet`,
        );
        continue;
      }
      for (const m of modules) {
        for (const [name, value] of Object.entries(m.exports)) {
          if (typeof value === "function" && /^bench/.test(name)) {
            found.push({
              method,
              fn: { file: m.file, name, fn: value as BenchFunction["fn"], source: `${m.file}#${name}` },
            });
          }
        }
      }
    }
    const inferenceSkipped = await measureInference(ctx);
    if (found.length === 0 && inferenceSkipped !== null)
      return ctx.skip([...missing, inferenceSkipped].join("; "));
    if (inferenceSkipped !== null) ctx.note(inferenceSkipped);
    for (const m of missing) ctx.note(`accuracy not measured: ${m}`);
    ctx.source = [
      ...(inferenceSkipped === null
        ? ["inference: @quantkit/nn + @quantkit/ptq public API (apps/bench)"]
        : []),
      ...found.map((f) => f.fn.source),
    ].join(" + ");
    for (const [i, { method, fn }] of found.entries()) {
      ctx.progress(0.5 + (0.5 * i) / found.length, `${method}: ${fn.name}`);
      const value = await fn.fn({
        quick: ctx.mode === "quick",
        mode: ctx.mode,
        bits: BITS,
        repeats: ctx.method.repetitions,
        warmup: ctx.method.warmupRounds,
        signal: ctx.signal,
        onProgress: (x: unknown) =>
          ctx.progress(0.5 + (0.5 * i) / found.length, `${method}: ${String(x).slice(0, 40)}`),
      });
      const recorded = record(ctx, fn, method, rowsOf(value));
      if (recorded === 0)
        ctx.note(`${fn.source} returned nothing this suite could read (no accuracy, no medianMs)`);
    }
    ctx.progress(1, "done");
  },
};
