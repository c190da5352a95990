import { files as bundled } from "virtual:bench-results";
import type { ChartConfiguration } from "chart.js";
import { axesCaption, valueAxis } from "../src/axes";
import { noiseThreshold } from "../src/compare";
import type { BenchResultFile, SuiteResult } from "../src/schema";
import { parseResultFile } from "../src/validateResultFile";
import {
  accuracySeries,
  calibratorErrors,
  formatNumber,
  formatPercent,
  headlines,
  MIN_CURVE_SIZES,
  modelSizes,
  ratioGroups,
  stageBreakdown,
  throughputBars,
  throughputCharts,
} from "../src/views";
import { chartCard, color, destroyAll, live, logTick, unitLine, whiskers } from "./charts";
import { renderComparison } from "./compareView";
import { el, table } from "./dom";
import { renderExactness } from "./exactness";
import { renderHeadlineChart } from "./headlineChart";
import { renderOnnxCharts } from "./onnxCharts";
import { placeholders, renderRunSummary } from "./summary";

interface LoadedRun {
  name: string;
  run: BenchResultFile;
}

const runs: LoadedRun[] = [];
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fileInput = $<HTMLInputElement>("file-input");
const selectA = $<HTMLSelectElement>("run-a");
const selectB = $<HTMLSelectElement>("run-b");
const thresholdInput = $<HTMLInputElement>("threshold");
const report = $<HTMLElement>("report");
const errors = $<HTMLUListElement>("errors");
const status = $<HTMLSpanElement>("load-status");

function reportError(message: string) {
  errors.append(el("li", {}, message));
}

/** Adds a parsed run (replacing one of the same name) and selects it. */
function addRun(name: string, text: string): boolean {
  try {
    const run = parseResultFile(text, name);
    const at = runs.findIndex((r) => r.name === name);
    if (at >= 0) runs[at] = { name, run };
    else runs.push({ name, run });
    return true;
  } catch (err) {
    reportError((err as Error).message);
    return false;
  }
}

function refreshSelects(selectName?: string) {
  const keepB = selectB.value;
  const options = runs.map((r, i) => {
    const label = `${r.name} (${r.run.mode}, ${r.run.createdAt.slice(0, 16).replace("T", " ")})`;
    return { value: String(i), label };
  });
  selectA.replaceChildren(...options.map((o) => el("option", { value: o.value }, o.label)));
  selectB.replaceChildren(
    el("option", { value: "" }, "(none)"),
    ...options.map((o) => el("option", { value: o.value }, o.label)),
  );
  const idx = selectName ? runs.findIndex((r) => r.name === selectName) : runs.length - 1;
  selectA.value = String(Math.max(0, idx));
  selectB.value = keepB && Number(keepB) < runs.length ? keepB : "";
}

fileInput.addEventListener("change", async () => {
  const list = [...(fileInput.files ?? [])];
  let last: string | undefined;
  let ok = 0;
  for (const f of list) {
    if (addRun(f.name, await f.text())) {
      last = f.name;
      ok++;
    }
  }
  status.textContent = `${ok} of ${list.length} file(s) loaded`;
  refreshSelects(last);
  render();
});
selectA.addEventListener("change", render);
selectB.addEventListener("change", render);
/** The reader typed a threshold: it is kept instead of the measured noise. */
let thresholdTyped = false;
thresholdInput.addEventListener("change", () => {
  thresholdTyped = true;
  render();
});

function showBundled() {
  const box = $<HTMLDivElement>("bundled");
  if (bundled.length === 0) {
    box.append(
      el("span", { class: "muted" }, "No result files were in bench-results/ when this page was built."),
    );
    return;
  }
  box.append(el("span", { class: "muted" }, "In bench-results/ at build time: "));
  for (const f of bundled) {
    const b = el("button", { type: "button", "data-file": f.name }, f.name);
    b.addEventListener("click", () => {
      if (addRun(f.name, f.text)) {
        status.textContent = `${f.name} loaded`;
        refreshSelects(f.name);
        render();
      }
    });
    box.append(b);
  }
}

/** Opens the newest of the files bundled at build time (by the time each run started), as if picked. */
function loadNewestBundled() {
  let newest: { name: string; at: string } | undefined;
  for (const f of bundled) {
    try {
      const at = parseResultFile(f.text, f.name).createdAt;
      if (!newest || at > newest.at) newest = { name: f.name, at };
    } catch {
      // an invalid bundled file is reported when picked; it is never the default
    }
  }
  const f = newest && bundled.find((x) => x.name === newest.name);
  if (f && addRun(f.name, f.text)) {
    status.textContent = `${f.name} loaded (the newest result file in bench-results/)`;
    refreshSelects(f.name);
  }
}

function section(title: string, id: string): HTMLElement {
  const s = el("section", { id });
  s.append(el("h2", {}, title));
  report.append(s);
  return s;
}

function renderRunInfo(name: string, run: BenchResultFile) {
  const s = section(`Run ${name}`, "run-info");
  const m = run.machine;
  s.append(
    table(
      ["", ""],
      [
        ["mode", `${run.mode} · ${(run.durationMs / 1000).toFixed(1)} s · started ${run.createdAt}`],
        [
          "machine",
          `${m.cpuModel}, ${m.cores} cores, ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.platform} ${m.arch}`,
        ],
        [
          "runtime",
          `Node ${m.node} (V8 ${m.v8}) · gpu.js ${m.gpujs ?? "not installed"} · onnxruntime-node ${m.onnxruntime ?? "not installed"} · display ${m.display ?? "none"}`,
        ],
        ["commit", `${m.gitCommit ?? "unknown"}${m.gitDirty ? " (uncommitted changes)" : ""}`],
        [
          "method",
          `${run.method.warmupRounds} warm-up + ${run.method.repetitions} timed rounds, samples of at least ${run.method.minSampleMs} ms; median with min and max; ratios paired round by round`,
        ],
      ],
      { class: "kv" },
    ),
  );
  s.append(el("h3", {}, "Suites"));
  s.append(
    table(
      ["suite", "package", "status", "time", "backends that ran", "reason / notes"],
      run.suites.map((x: SuiteResult) => [
        x.id,
        x.package,
        el("span", { class: `status-${x.status}` }, x.status),
        `${(x.durationMs / 1000).toFixed(1)} s`,
        x.backends.join(", ") || "–",
        [x.reason?.split("\n")[0], ...x.notes].filter(Boolean).join(" · "),
      ]),
      { id: "suites-table" },
      new Set([3]),
    ),
  );
}

function renderHeadlines(run: BenchResultFile) {
  const rows = headlines(run);
  const s = section("Headline figures", "headlines");
  if (rows.length === 0) {
    s.append(
      el("p", { class: "empty" }, "No headline figure in this run (the suites that give them were skipped)."),
    );
    return;
  }
  const t = table(
    ["figure", "value", "spread"],
    rows.map((r) => [r.label, r.value, r.detail]),
    { id: "headline-table", class: "headline" },
  );
  for (const tr of t.querySelectorAll("tbody tr")) tr.children[1]?.classList.add("value");
  s.append(t);
}

/** A chart of a suite that did not finish says so in its title. */
const partial = (status: string) => (status === "ok" ? "" : ` [suite ${status}: partial]`);

/** Whether any timing of the run states its role (files written before the field state none). */
const rolesRecorded = (run: BenchResultFile) =>
  run.suites.some((s) => s.timings.some((t) => t.role !== undefined));

function renderThroughput(run: BenchResultFile) {
  const charts = throughputCharts(run);
  const holes = placeholders("throughput", run);
  if (charts.length === 0 && holes.length === 0) return;
  const s = section(
    `Throughput against size (series measured at ${MIN_CURVE_SIZES} sizes or more)`,
    "throughput",
  );
  const grid = el("div", { class: "grid" });
  s.append(grid);
  grid.append(...holes);
  const roles = rolesRecorded(run);
  charts.forEach((c, ci) => {
    const y = valueAxis(c.series.flatMap((x) => x.points.flatMap((p) => [p.y, p.min, p.max])));
    const config: ChartConfiguration<"line"> = {
      type: "line",
      data: {
        datasets: c.series.map((series, i) => ({
          label: series.label,
          data: series.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: color(i),
          backgroundColor: color(i),
          pointRadius: 4,
          // Dashed only where the file says the timing is a peer's (never guessed from its name).
          borderDash: series.role === "peer" ? [6, 4] : [],
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: {
            display: true,
            text: `${c.title}: throughput against size (higher is better)${partial(c.suiteStatus)}`,
            font: { size: 14 },
          },
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => {
                const p = c.series[item.datasetIndex]!.points[item.dataIndex]!;
                return `${item.dataset.label}: ${formatNumber(p.y)} (min ${formatNumber(p.min)}, max ${formatNumber(p.max)})${p.shape ? ` at ${p.shape}` : ""}`;
              },
            },
          },
        },
        scales: {
          x: {
            type: "logarithmic",
            title: { display: true, text: `${c.xLabel}, log scale` },
            ticks: { callback: logTick },
          },
          // Log only where the values span more than a factor of 20; else linear from 0, so that two close
          // values never look like a steep climb.
          y:
            y.type === "logarithmic"
              ? {
                  type: "logarithmic",
                  title: { display: true, text: `${c.yLabel}, log scale` },
                  ticks: { callback: logTick },
                }
              : { type: "linear", beginAtZero: true, title: { display: true, text: c.yLabel } },
        },
      },
    };
    const peers = c.series.some((x) => x.role === "peer");
    chartCard(grid, `throughput-${ci}`, config as ChartConfiguration, {
      note: `${peers ? "Dashed lines: peer libraries quantkit is measured against (the file's role field). " : roles ? "" : "This file records no roles: no line is marked as a peer. "}Axes: ${axesCaption({ x: "logarithmic", y: y.type }, { x: "size", y: "throughput" })}`,
    });
  });
}

/** Bar colours by the role the file states: quantkit blue, baseline grey, peer orange, unstated dark grey. */
const roleColor = (role: string | undefined) =>
  role === "quantkit" ? "#0072B2" : role === "baseline" ? "#999999" : role === "peer" ? "#E69F00" : "#555555";

function renderThroughputBars(run: BenchResultFile) {
  const groups = throughputBars(run);
  if (groups.length === 0) return;
  const s = section(
    `Throughput per case (series measured at fewer than ${MIN_CURVE_SIZES} sizes)`,
    "throughput-bars",
  );
  for (const g of groups) {
    const lo = Math.min(...g.bars.map((b) => b.min));
    const hi = Math.max(...g.bars.map((b) => b.max));
    const axis = valueAxis(g.bars.flatMap((b) => [b.min, b.max]));
    chartCard(
      s,
      `bars-${g.key.replace(/[^a-z0-9]+/gi, "-")}`,
      {
        type: "bar",
        data: {
          labels: g.bars.map((b) => b.label),
          datasets: [
            {
              label: `median throughput (${g.unit}); blue: quantkit, grey: baseline (plain copy), orange: peer library; whiskers: min–max`,
              data: g.bars.map((b) => b.median),
              backgroundColor: g.bars.map((b) => roleColor(b.role)),
              whiskers: g.bars.map((b) => [b.min, b.max]),
            } as never,
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            title: { display: true, text: `${g.title}${partial(g.suiteStatus)}`, font: { size: 14 } },
            legend: { position: "bottom" },
          },
          scales: {
            x:
              axis.type === "logarithmic"
                ? {
                    type: "logarithmic",
                    min: lo / 1.5,
                    max: hi * 1.5,
                    title: { display: true, text: `throughput (${g.unit}, log scale)` },
                    ticks: { callback: logTick },
                  }
                : {
                    type: "linear",
                    beginAtZero: true,
                    title: { display: true, text: `throughput (${g.unit})` },
                  },
            y: { ticks: { autoSkip: false, font: { size: 11 } } },
          },
        },
        plugins: [whiskers],
      } as ChartConfiguration,
      {
        height: 90 + 22 * g.bars.length,
        note: `Axis: ${axisWords(axis.type, "throughput")}`,
      },
    );
  }
}

function renderStages(run: BenchResultFile) {
  const rows = stageBreakdown(run);
  if (rows.length === 0) return;
  const s = section("GPU calls by stage", "gpu-stages");
  const stages = ["upload", "compute", "readback"];
  chartCard(
    s,
    "gpu-stages-chart",
    {
      type: "bar",
      data: {
        labels: rows.map((r) => r.label),
        datasets: stages.map((stage, i) => ({
          label: `${stage} (ms, median)`,
          data: rows.map((r) => r.stages[stage] ?? 0),
          backgroundColor: ["#56B4E9", "#0072B2", "#E69F00"][i],
        })),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: {
            display: true,
            text: "Time of one GPU call, by stage (stacked; lower is better)",
            font: { size: 14 },
          },
          legend: { position: "bottom" },
        },
        scales: {
          x: { stacked: true, title: { display: true, text: "time per call (ms)" } },
          y: { stacked: true, ticks: { autoSkip: false, font: { size: 11 } } },
        },
      },
    } as ChartConfiguration,
    { height: 90 + 26 * rows.length },
  );
}

function renderRatios(run: BenchResultFile) {
  const groups = ratioGroups(run);
  const holes = placeholders("ratios", run);
  if (groups.length === 0 && holes.length === 0) return;
  const s = section("Speed ratios (paired, median with min–max whiskers)", "ratios");
  s.append(...holes);
  groups.forEach((g, gi) => {
    const config: ChartConfiguration<"bar"> = {
      type: "bar",
      data: {
        labels: g.ratios.map((r) => r.label),
        datasets: [
          {
            label: "median speed ratio (× faster; bars start at 1 = same speed, the dashed line)",
            data: g.ratios.map((r) => r.median),
            base: 1,
            backgroundColor: g.ratios.map((r) => (r.median >= 1 ? "#009E73" : "#E69F00")),
            whiskers: g.ratios.map((r) => [r.min, r.max]),
          } as never,
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: { display: true, text: `${g.title}${partial(g.suiteStatus)}`, font: { size: 14 } },
          legend: { position: "bottom" },
        },
        scales: {
          x: {
            type: "logarithmic",
            // The whiskers and the line at 1 must fit, not only the medians.
            min: Math.min(1, ...g.ratios.map((r) => r.min)) / 1.25,
            max: Math.max(1, ...g.ratios.map((r) => r.max)) * 1.25,
            title: { display: true, text: "speed ratio (×, log scale)" },
            ticks: { callback: logTick },
          },
          y: { ticks: { autoSkip: false, font: { size: 11 } } },
        },
      },
      plugins: [whiskers, unitLine],
    };
    chartCard(s, `ratios-${g.key}`, config as ChartConfiguration, {
      height: 120 + 26 * g.ratios.length,
      note: `${gi === 0 ? "Green: the first-named is faster; orange: slower. " : ""}${g.sameBackend ? "Both timings of each ratio ran on the same backend. " : "Each ratio compares two backends or libraries. "}Each ratio is t(second) / t(first), round by round in the same run. Axis: ${axisWords("logarithmic", "speed ratio")}`,
    });
  });
}

function renderAccuracy(run: BenchResultFile) {
  const { series, fp32, fp32ByDataset } = accuracySeries(run);
  if (series.length === 0 && fp32 === null) return;
  const s = section("Accuracy against bits", "accuracy");
  const allBits = [...new Set(series.flatMap((x) => x.points.map((p) => p.bits)))].sort((a, b) => b - a);
  // One chart per data set (a run with MNIST and Fashion-MNIST would cross eight curves in one).
  const names = [...new Set([...series.map((x) => x.dataset), ...fp32ByDataset.map((f) => f.dataset)])];
  const grid = el("div", { class: names.length > 1 ? "grid" : "" });
  s.append(grid);
  for (const [di, name] of names.entries()) {
    const mine = series.filter((x) => x.dataset === name);
    const base = fp32ByDataset.find((f) => f.dataset === name);
    const datasets: ChartConfiguration<"line">["data"]["datasets"] = mine.map((x, i) => ({
      label: name ? x.label.replace(` · ${name}`, "") : x.label,
      data: x.points.map((p) => ({ x: p.bits, y: p.accuracy * 100 })),
      borderColor: color(i),
      backgroundColor: color(i),
      borderDash: x.method.startsWith("qat") ? [6, 4] : [],
      pointRadius: 4,
    }));
    if (base && allBits.length > 0) {
      datasets.push({
        label: `fp32 model (${formatPercent(base.accuracy)})`,
        data: [
          { x: allBits[0]!, y: base.accuracy * 100 },
          { x: allBits.at(-1)!, y: base.accuracy * 100 },
        ],
        borderColor: "#000000",
        backgroundColor: "#000000",
        borderDash: [2, 3],
        pointRadius: 0,
      });
    }
    chartCard(
      grid,
      di === 0 ? "accuracy-chart" : `accuracy-chart-${di}`,
      {
        type: "line",
        data: { datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            title: {
              display: true,
              text: `MLP test accuracy${name ? ` on ${name}` : ""} against bits: PTQ (solid), QAT (dashed), fp32 (dotted)`,
              font: { size: 14 },
            },
            legend: { position: "bottom" },
          },
          scales: {
            x: {
              type: "linear",
              reverse: true,
              ticks: { stepSize: 1 },
              title: { display: true, text: "bits (weights and activations)" },
            },
            // From 0: a zoomed axis would turn a few tenths of a point into a cliff.
            y: { min: 0, max: 100, title: { display: true, text: "test accuracy (%)" } },
          },
        },
      } as ChartConfiguration,
      { height: 360 },
    );
  }
  s.append(
    table(
      ["method · calibrator", ...allBits.map((b) => `${b} bits`)],
      series.map((x) => [
        x.label,
        ...allBits.map((b) => {
          const p = x.points.find((q) => q.bits === b);
          return p ? formatPercent(p.accuracy) : "–";
        }),
      ]),
      { id: "accuracy-table" },
      new Set(allBits.map((_, i) => i + 1)),
    ),
  );
  const sizes = modelSizes(run);
  if (sizes.length > 0) {
    s.append(el("h3", {}, "Model file sizes (KB; the fp32 model's in every column)"));
    const rowsBy = new Map<string, Map<number | null, number>>();
    for (const x of sizes) {
      const key = `${x.method.toUpperCase()}${x.dataset ? ` · ${x.dataset}` : ""}`;
      if (!rowsBy.has(key)) rowsBy.set(key, new Map());
      rowsBy.get(key)!.set(x.bits, x.bytes);
    }
    s.append(
      table(
        ["model", ...allBits.map((b) => `${b} bits`)],
        [...rowsBy].map(([key, byBits]) => [
          key,
          ...allBits.map((b) => {
            const bytes = byBits.get(b) ?? byBits.get(null);
            return bytes === undefined ? "–" : (bytes / 1000).toFixed(1);
          }),
        ]),
        { id: "size-table" },
        new Set(allBits.map((_, i) => i + 1)),
      ),
    );
  }
}

function renderCalibrators(run: BenchResultFile) {
  const data = calibratorErrors(run);
  if (data.observers.length === 0) return;
  const s = section("Calibrator errors", "calibrators");
  chartCard(
    s,
    "calibrator-chart",
    {
      type: "bar",
      data: {
        labels: data.observers,
        datasets: data.datasets.map((d, i) => ({
          label: d.label,
          data: d.values,
          backgroundColor: color(i),
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: {
            display: true,
            text: "Error of the range each observer picks (8-bit quantize-dequantize, lower is better)",
            font: { size: 14 },
          },
          legend: { position: "bottom" },
        },
        scales: {
          x: { title: { display: true, text: "observer" } },
          y: {
            type: "logarithmic",
            title: { display: true, text: `error (${data.unit}, log scale)` },
            ticks: { callback: logTick },
          },
        },
      },
    } as ChartConfiguration,
    { height: 340 },
  );
}

function renderNumbers(run: BenchResultFile) {
  const s = section("All timings", "numbers");
  for (const suite of run.suites) {
    if (suite.timings.length === 0) continue;
    const d = el(
      "details",
      { "data-suite": suite.id },
      el("summary", {}, `${suite.id}: ${suite.timings.length} timings`),
    );
    d.append(
      table(
        ["op", "impl", "backend", "shape / size", "median ms", "min ms", "max ms", "throughput (median)"],
        suite.timings.map((t) => [
          t.op,
          t.impl,
          t.backend,
          t.shape ?? `${t.size} ${t.sizeUnit}`,
          formatNumber(t.medianMs),
          formatNumber(t.minMs),
          formatNumber(t.maxMs),
          t.throughput ? `${formatNumber(t.throughput.median)} ${t.throughput.unit}` : "–",
        ]),
        {},
        new Set([4, 5, 6, 7]),
      ),
    );
    s.append(d);
  }
}

function render() {
  destroyAll();
  report.replaceChildren();
  const a = runs[Number(selectA.value)];
  if (!a) {
    report.append(
      el("p", { class: "empty" }, "Open a result file (bench-results/*.json) to see its charts."),
    );
    return;
  }
  const bIndex = selectB.value === "" ? -1 : Number(selectB.value);
  const b = bIndex >= 0 && bIndex !== Number(selectA.value) ? runs[bIndex] : undefined;
  renderRunSummary(section(`Run summary: ${a.name}`, "run-summary"), a.run);
  renderRunInfo(a.name, a.run);
  renderHeadlines(a.run);
  const headlineSection = section("int8 against fp32, and against onnxruntime", "headline-chart");
  headlineSection.append(...placeholders("headline-chart", a.run));
  renderHeadlineChart(headlineSection, a.run);
  if (b) {
    // The threshold starts at the noise the two runs measured; a number typed in the box wins.
    const measured = noiseThreshold(b.run, a.run);
    if (!thresholdTyped) thresholdInput.value = String(Math.round(measured * 100));
    const threshold = Math.min(0.99, Math.max(0, Number(thresholdInput.value) / 100 || 0));
    renderComparison(
      section(`Side by side: ${a.name} against ${b.name}`, "compare"),
      a,
      b,
      threshold,
      thresholdTyped
        ? `${(threshold * 100).toFixed(0)}%, as typed (the runs' measured noise: ${(measured * 100).toFixed(0)}%)`
        : `${(measured * 100).toFixed(0)}%, the runs' measured noise (the median spread of their paired ratios)`,
    );
  }
  renderThroughput(a.run);
  renderThroughputBars(a.run);
  renderStages(a.run);
  renderRatios(a.run);
  const exactSection = section("Exactness against the reference", "exactness");
  exactSection.append(...placeholders("exactness", a.run));
  renderExactness(exactSection, a.run);
  renderAccuracy(a.run);
  renderCalibrators(a.run);
  if (a.run.suites.some((x) => x.id === "onnx" && x.status === "ok"))
    renderOnnxCharts(section("@quantkit/onnx on real models: size, quantize time, memory", "onnx"), a.run);
  renderNumbers(a.run);
  document.body.dataset.charts = String(live.length);
  // What each chart says about itself, for the Chromium test (titles, axis titles, legend entries).
  (window as unknown as { benchCharts: unknown }).benchCharts = live.map((c) => {
    const scales = c.options.scales as
      | Record<string, { type?: string; title?: { text?: unknown } }>
      | undefined;
    return {
      id: c.canvas.id,
      title: String(c.options.plugins?.title?.text ?? ""),
      axes: Object.values(scales ?? {})
        .map((a) => String(a.title?.text ?? ""))
        .filter(Boolean),
      // Each axis' type as drawn and its title, and the caption under the chart: what the test checks
      // against each other (no caption or title may claim a log scale the chart lacks).
      scales: Object.fromEntries(
        Object.entries(c.scales).map(([k, sc]) => [
          k,
          { type: sc.type, title: String(scales?.[k]?.title?.text ?? "") },
        ]),
      ),
      note: c.canvas.dataset.note ?? "",
      legend: c.data.datasets.map((d) => String(d.label ?? "")),
    };
  });
  // Where each chart's bars start (the dataset's `base`), for the test: ratio bars start at 1.
  (window as unknown as { benchChartBases: unknown }).benchChartBases = Object.fromEntries(
    live.map((c) => [c.canvas.id, c.data.datasets.map((d) => (d as { base?: number }).base ?? null)]),
  );
  document.body.dataset.rendered = a.name;
}

/** Words for one axis, from its type: never "log" unless it is. */
function axisWords(type: string, name: string): string {
  return type === "logarithmic" ? `${name} on a log scale.` : `${name} on a linear scale from 0.`;
}

showBundled();
loadNewestBundled();
render();
