/**
 * What the dashboard draws, derived from result files: plain data, no DOM, no chart.js, so that it is
 * unit-tested here and the page only renders it.
 */
import type { BenchResultFile, Metric, Ratio, SuiteResult, Timing, TimingRole } from "./schema";

/** One point of a throughput curve. */
export interface ThroughputPoint {
  x: number;
  y: number;
  min: number;
  max: number;
  shape: string | null;
}

/** One chart of throughput against size: one op of one suite, one series per implementation and backend. */
export interface ThroughputChart {
  key: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** The suite's status: a chart of a suite that did not finish ("failed") is marked as partial. */
  suiteStatus: SuiteResult["status"];
  series: {
    label: string;
    impl: string;
    backend: string;
    /** The timings' role as the file states it (undefined in files written before the field). */
    role: TimingRole | undefined;
    points: ThroughputPoint[];
  }[];
}

/** A series drawn as a line needs this many sizes; one with fewer is drawn as bars (two points make no curve). */
export const MIN_CURVE_SIZES = 4;

/** Stages of a GPU call, timed apart (drawn as stacked bars, not as throughput). */
const STAGES = ["upload", "compute", "readback"];
const isStage = (t: Timing) => STAGES.includes(String(t.params.stage));

/**
 * Groups every timing that has a throughput by suite and op (and size unit); within a group one series
 * per `impl · backend`, points sorted by size. Only ops measured at two sizes or more make a curve (the
 * others are in {@link throughputBars}). Groups keep file order.
 *
 * @example
 * throughputCharts(run).map((c) => c.title); // ["kernels: gemm.int8", "kernels: gemm.fp32", …]
 */
export function throughputCharts(run: BenchResultFile): ThroughputChart[] {
  return allThroughputCharts(run)
    .map((c) => ({ ...c, series: c.series.filter((s) => s.points.length >= MIN_CURVE_SIZES) }))
    .filter((c) => c.series.length > 0);
}

/** One bar chart of the ops of a suite measured at a single size: one bar per op, impl and backend. */
export interface ThroughputBars {
  key: string;
  title: string;
  unit: string;
  suiteStatus: SuiteResult["status"];
  bars: {
    label: string;
    median: number;
    min: number;
    max: number;
    impl: string;
    role: TimingRole | undefined;
  }[];
}

/**
 * The series measured at fewer than {@link MIN_CURVE_SIZES} sizes, per suite and throughput unit, as
 * bars, one per size (a curve through two or three points says little about size, one point nothing).
 *
 * @example
 * throughputBars(run).map((b) => b.title); // ["quantizers: throughput per case (Melem/s)"]
 */
export function throughputBars(run: BenchResultFile): ThroughputBars[] {
  const out = new Map<string, ThroughputBars>();
  for (const chart of allThroughputCharts(run)) {
    const c = { ...chart, series: chart.series.filter((s) => s.points.length < MIN_CURVE_SIZES) };
    if (c.series.length === 0) continue;
    const suite = c.title.slice(0, c.title.indexOf(":"));
    const unit = c.yLabel.replace(/^throughput \((.*)\)$/, "$1");
    const key = `${suite}/${unit}`;
    let group = out.get(key);
    if (!group) {
      group = {
        key,
        title: `${suite}: throughput per case (${unit}, higher is better)`,
        unit,
        suiteStatus: c.suiteStatus,
        bars: [],
      };
      out.set(key, group);
    }
    for (const s of c.series) {
      for (const p of s.points) {
        group.bars.push({
          label: `${c.title.slice(suite.length + 2)} · ${s.label} · ${p.shape ?? formatCount(p.x)}`,
          median: p.y,
          min: p.min,
          max: p.max,
          impl: s.impl,
          role: s.role,
        });
      }
    }
  }
  return [...out.values()];
}

/** Upload / compute / readback medians (ms) of each GPU call timed by stages. */
export function stageBreakdown(run: BenchResultFile): { label: string; stages: Record<string, number> }[] {
  const rows = new Map<string, { label: string; stages: Record<string, number> }>();
  for (const suite of run.suites) {
    for (const t of suite.timings) {
      if (!isStage(t)) continue;
      const label = `${t.op.replace(/ on gpu\.js:.*$|:.*$/, "")} · ${t.backend} · ${t.shape ?? t.size}`;
      let row = rows.get(label);
      if (!row) {
        row = { label, stages: {} };
        rows.set(label, row);
      }
      row.stages[String(t.params.stage)] = t.medianMs;
    }
  }
  return [...rows.values()];
}

function allThroughputCharts(run: BenchResultFile): ThroughputChart[] {
  const charts = new Map<string, ThroughputChart>();
  for (const suite of run.suites) {
    for (const t of suite.timings) {
      if (!t.throughput || isStage(t)) continue;
      const key = `${suite.id}/${t.op}/${t.sizeUnit}/${t.throughput.unit}`;
      let chart = charts.get(key);
      if (!chart) {
        chart = {
          key,
          title: `${suite.id}: ${t.op}`,
          xLabel: `problem size (${t.sizeUnit})`,
          yLabel: `throughput (${t.throughput.unit})`,
          suiteStatus: suite.status,
          series: [],
        };
        charts.set(key, chart);
      }
      const label = `${t.impl} · ${t.backend}`;
      let series = chart.series.find((s) => s.label === label);
      if (!series) {
        series = { label, impl: t.impl, backend: t.backend, role: t.role, points: [] };
        chart.series.push(series);
      }
      series.points.push({
        x: t.size,
        y: t.throughput.median,
        min: t.throughput.min,
        max: t.throughput.max,
        shape: t.shape,
      });
    }
  }
  for (const c of charts.values()) for (const s of c.series) s.points.sort((a, b) => a.x - b.x);
  return [...charts.values()];
}

/** One chart of ratios: a suite's like-for-like ratios, or its ratios across backends. */
export interface RatioGroup {
  /** "<suite>" for like-for-like ratios, "<suite>-across" for the others. */
  key: string;
  suite: string;
  suiteStatus: SuiteResult["status"];
  title: string;
  /** Both timings of every ratio ran on the same backend. */
  sameBackend: boolean;
  ratios: Ratio[];
}

/**
 * The ratios of each suite that has any, for the ratio charts: those whose two timings ran on the same
 * backend (int8 against fp32 on wasm-simd: like for like) apart from those across backends or
 * implementations (our wasm-simd against onnxruntime's native code, int8 on wasm-simd against fp32 on
 * @quantkit/nn), which answer a different question.
 */
export function ratioGroups(run: BenchResultFile): RatioGroup[] {
  const out: RatioGroup[] = [];
  for (const s of run.suites) {
    if (s.ratios.length === 0) continue;
    const backend = new Map(s.timings.map((t) => [t.id, t.backend]));
    const same = (r: Ratio) => {
      const a = backend.get(r.subject);
      return a !== undefined && a === backend.get(r.reference);
    };
    const like = s.ratios.filter(same);
    const across = s.ratios.filter((r) => !same(r));
    if (like.length > 0)
      out.push({
        key: s.id,
        suite: s.id,
        suiteStatus: s.status,
        title: `${s.id}: speed ratios on the same backend (> 1: the first named is faster)`,
        sameBackend: true,
        ratios: like,
      });
    if (across.length > 0)
      out.push({
        key: `${s.id}-across`,
        suite: s.id,
        suiteStatus: s.status,
        title: `${s.id}: speed ratios across backends or libraries (> 1: the first named is faster)`,
        sameBackend: false,
        ratios: across,
      });
  }
  return out;
}

/** One curve of accuracy against bits. */
export interface AccuracySeries {
  label: string;
  method: string;
  calibrator: string;
  /** The data set ("" when the file does not say). */
  dataset: string;
  points: { bits: number; accuracy: number }[];
}

/**
 * The accuracy metrics (kind "accuracy", params method / bits / calibrator) as curves, one per method
 * and calibrator, sorted by bits from high to low; the fp32 model's accuracy (method "fp32") separately.
 *
 * @example
 * accuracySeries(run).series.map((s) => s.label); // ["PTQ · minmax", "QAT · minmax", …]
 */
export function accuracySeries(run: BenchResultFile): {
  series: AccuracySeries[];
  fp32: number | null;
  fp32ByDataset: { dataset: string; accuracy: number }[];
} {
  const metrics = run.suites.flatMap((s) => s.metrics.filter((m) => m.kind === "accuracy"));
  const fp32ByDataset: { dataset: string; accuracy: number }[] = [];
  const series = new Map<string, AccuracySeries>();
  for (const m of metrics) {
    const method = String(m.params.method ?? "");
    const dataset = m.params.dataset === undefined ? "" : String(m.params.dataset);
    if (method === "fp32") {
      fp32ByDataset.push({ dataset, accuracy: m.value });
      continue;
    }
    const bits = Number(m.params.bits);
    if (!Number.isFinite(bits)) continue;
    const calibrator = String(m.params.calibrator ?? "default");
    const label = `${method.toUpperCase()} · ${calibrator}${dataset ? ` · ${dataset}` : ""}`;
    let s = series.get(label);
    if (!s) {
      s = { label, method, calibrator, dataset, points: [] };
      series.set(label, s);
    }
    s.points.push({ bits, accuracy: m.value });
  }
  for (const s of series.values()) s.points.sort((a, b) => b.bits - a.bits);
  return { series: [...series.values()], fp32: fp32ByDataset[0]?.accuracy ?? null, fp32ByDataset };
}

/** The model file sizes (metrics of kind "model-size"), for the table beside the accuracy chart. */
export function modelSizes(
  run: BenchResultFile,
): { method: string; bits: number | null; dataset: string; bytes: number }[] {
  return run.suites.flatMap((s) =>
    s.metrics
      .filter((m) => m.kind === "model-size")
      .map((m) => ({
        method: String(m.params.method ?? ""),
        bits: m.params.bits === undefined ? null : Number(m.params.bits),
        dataset: m.params.dataset === undefined ? "" : String(m.params.dataset),
        bytes: m.value,
      })),
  );
}

/** The range errors of the observers (kind "range-error"): categories are observers, one dataset per case. */
export function calibratorErrors(run: BenchResultFile): {
  observers: string[];
  unit: string;
  datasets: { label: string; values: (number | null)[] }[];
} {
  const metrics = run.suites.flatMap((s) => s.metrics.filter((m) => m.kind === "range-error"));
  const observers = [...new Set(metrics.map((m) => String(m.params.observer)))];
  const cases = [...new Set(metrics.map(caseLabel))];
  const datasets = cases.map((label) => ({
    label,
    values: observers.map((o) => {
      const m = metrics.find((x) => String(x.params.observer) === o && caseLabel(x) === label);
      return m ? m.value : null;
    }),
  }));
  return { observers, unit: metrics[0]?.unit ?? "mse", datasets };
}

function caseLabel(m: Metric): string {
  const parts: string[] = [];
  if (m.params.distribution !== undefined) parts.push(String(m.params.distribution));
  if (m.params.size !== undefined) parts.push(`${formatCount(Number(m.params.size))} values`);
  if (m.params.dtype !== undefined) parts.push(String(m.params.dtype));
  return parts.join(", ") || m.label;
}

/** One line of the headline table. */
export interface Headline {
  label: string;
  value: string;
  detail: string;
}

/**
 * The figures quoted first: every headline ratio (median with [min, max]) and the accuracy of PTQ and
 * QAT at 8 and 4 bits (the first calibrator found for each) plus the fp32 model's.
 *
 * @example
 * headlines(run)[0]; // { label: "int8 / fp32 GEMM speed, wasm-simd, 256x256x256", value: "1.84×", detail: "min 1.70, max 1.95, 7 pairs" }
 */
export function headlines(run: BenchResultFile): Headline[] {
  const out: Headline[] = [];
  // A suite that did not finish gives no figures: say so where they would be, never drop them silently.
  for (const s of run.suites) {
    if (s.status === "ok") continue;
    out.push({
      label: `${s.id}: no figures`,
      value: s.status,
      detail: (s.reason ?? "").split("\n")[0] ?? "",
    });
  }
  for (const s of run.suites) {
    for (const r of s.ratios.filter((x) => x.headline)) {
      out.push({
        label: r.label,
        value: `${formatNumber(r.median)}×`,
        detail: `min ${formatNumber(r.min)}, max ${formatNumber(r.max)}, ${r.pairs} pairs`,
      });
    }
  }
  const { series, fp32 } = accuracySeries(run);
  if (fp32 !== null)
    out.push({ label: "fp32 model accuracy", value: formatPercent(fp32), detail: "test set" });
  for (const method of ["ptq", "qat"]) {
    const s = series.find((x) => x.method === method);
    if (!s) continue;
    for (const bits of [8, 4]) {
      const p = s.points.find((x) => x.bits === bits);
      if (p) {
        out.push({
          label: `${method.toUpperCase()} accuracy at ${bits} bits (${s.calibrator})`,
          value: formatPercent(p.accuracy),
          detail: s.dataset ? `${s.dataset} test set` : "test set",
        });
      }
    }
  }
  return out;
}

/** 3 significant digits, no exponent for everyday magnitudes: 1.84, 23.4, 512, 0.0123. */
export function formatNumber(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US");
  if (a >= 0.001) return Number(x.toPrecision(3)).toString();
  return x.toExponential(2);
}

/** 0.9634 -> "96.34%". */
export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** 1048576 -> "1M", 16777216 -> "16M", 4096 -> "4K", 1000 -> "1000". */
export function formatCount(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)}M`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  return n.toLocaleString("en-US");
}
