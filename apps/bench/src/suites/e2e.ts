import type { Suite, SuiteContext } from "../context";
import { type BenchFunction, benchFunctionNames, loadBenchModules } from "../packageBench";
import { caseTiming, type PackageCase, slug } from "./_cases";

/** The bit widths the issue asks for. */
const BITS = [8, 6, 4, 3, 2];

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** The rows of whatever a bench function returned: an array, or the arrays inside an object report. */
function rowsOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isRecord(value)) return [];
  const nested = Object.values(value).flatMap((v) => (Array.isArray(v) ? v.filter(isRecord) : []));
  return nested.length > 0 ? nested : [value];
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
    if (found.length === 0) return ctx.skip(missing.join("; "));
    for (const m of missing) ctx.note(m);
    ctx.source = found.map((f) => f.fn.source).join(" + ");
    for (const [i, { method, fn }] of found.entries()) {
      ctx.progress(i / found.length, `${method}: ${fn.name}`);
      const value = await fn.fn({
        quick: ctx.mode === "quick",
        mode: ctx.mode,
        bits: BITS,
        repeats: ctx.method.repetitions,
        warmup: ctx.method.warmupRounds,
        signal: ctx.signal,
        onProgress: (x: unknown) => ctx.progress(i / found.length, `${method}: ${String(x).slice(0, 40)}`),
      });
      const recorded = record(ctx, fn, method, rowsOf(value));
      if (recorded === 0)
        ctx.note(`${fn.source} returned nothing this suite could read (no accuracy, no medianMs)`);
    }
    ctx.progress(1, "done");
  },
};
