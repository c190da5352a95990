import { files as bundled } from "virtual:bench-results";
import type { ChartConfiguration } from "chart.js";
import { compareRuns } from "../src/compare";
import { type BenchResultFile, parseResultFile, type SuiteResult } from "../src/schema";
import {
  accuracySeries,
  calibratorErrors,
  formatNumber,
  formatPercent,
  headlines,
  modelSizes,
  ratioGroups,
  stageBreakdown,
  throughputBars,
  throughputCharts,
} from "../src/views";
import { chartCard, color, destroyAll, live, logTick, unitLine, whiskers } from "./charts";
import { renderExactness } from "./exactness";

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

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function table(
  head: string[],
  rows: (string | Node)[][],
  attrs: Record<string, string> = {},
  numeric = new Set<number>(),
) {
  return el(
    "table",
    attrs,
    el("thead", {}, el("tr", {}, ...head.map((h, i) => el("th", numeric.has(i) ? { class: "num" } : {}, h)))),
    el(
      "tbody",
      {},
      ...rows.map((r) =>
        el("tr", {}, ...r.map((c, i) => el("td", numeric.has(i) ? { class: "num" } : {}, c))),
      ),
    ),
  );
}

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
thresholdInput.addEventListener("change", render);

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

const wide = (values: number[]) => Math.max(...values) / Math.min(...values) > 20;

function renderThroughput(run: BenchResultFile) {
  const charts = throughputCharts(run);
  if (charts.length === 0) return;
  const s = section("Throughput against size", "throughput");
  const grid = el("div", { class: "grid" });
  s.append(grid);
  charts.forEach((c, ci) => {
    const config: ChartConfiguration<"line"> = {
      type: "line",
      data: {
        datasets: c.series.map((series, i) => ({
          label: series.label,
          data: series.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: color(i),
          backgroundColor: color(i),
          pointRadius: 4,
          borderDash: series.impl === "quantkit" ? [] : [6, 4],
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: {
            display: true,
            text: `${c.title}: throughput against size (higher is better)`,
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
          x: { type: "logarithmic", title: { display: true, text: c.xLabel }, ticks: { callback: logTick } },
          // A log axis only where the values span more than a factor of 20 (else it shows no labels).
          y: wide(c.series.flatMap((x) => x.points.map((p) => p.y)))
            ? { type: "logarithmic", title: { display: true, text: c.yLabel }, ticks: { callback: logTick } }
            : { type: "linear", title: { display: true, text: c.yLabel } },
        },
      },
    };
    chartCard(grid, `throughput-${ci}`, config as ChartConfiguration, {
      note: "Dashed lines: the peers quantkit is measured against. Log-log axes.",
    });
  });
}

const implColor = (impl: string) =>
  impl === "quantkit" ? "#0072B2" : impl === "copy" ? "#999999" : "#E69F00";

function renderThroughputBars(run: BenchResultFile) {
  const groups = throughputBars(run);
  if (groups.length === 0) return;
  const s = section("Throughput per case (one size)", "throughput-bars");
  for (const g of groups) {
    const lo = Math.min(...g.bars.map((b) => b.min));
    const hi = Math.max(...g.bars.map((b) => b.max));
    chartCard(
      s,
      `bars-${g.key.replace(/[^a-z0-9]+/gi, "-")}`,
      {
        type: "bar",
        data: {
          labels: g.bars.map((b) => b.label),
          datasets: [
            {
              label: `median throughput (${g.unit}); blue: quantkit, grey: plain copy, orange: peer library; whiskers: min–max`,
              data: g.bars.map((b) => b.median),
              backgroundColor: g.bars.map((b) => implColor(b.impl)),
              whiskers: g.bars.map((b) => [b.min, b.max]),
            } as never,
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            title: { display: true, text: g.title, font: { size: 14 } },
            legend: { position: "bottom" },
          },
          scales: {
            x: {
              type: "logarithmic",
              min: lo / 1.5,
              max: hi * 1.5,
              title: { display: true, text: `throughput (${g.unit}, log scale)` },
              ticks: { callback: logTick },
            },
            y: { ticks: { autoSkip: false, font: { size: 11 } } },
          },
        },
        plugins: [whiskers],
      } as ChartConfiguration,
      { height: 90 + 22 * g.bars.length },
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
  if (groups.length === 0) return;
  const s = section("Speed ratios (paired, median with min–max whiskers)", "ratios");
  groups.forEach((g, gi) => {
    const config: ChartConfiguration<"bar"> = {
      type: "bar",
      data: {
        labels: g.ratios.map((r) => r.label),
        datasets: [
          {
            label: "median speed ratio (× faster; the dashed line is 1 = same speed)",
            data: g.ratios.map((r) => r.median),
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
          title: { display: true, text: g.title, font: { size: 14 } },
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
    chartCard(s, `ratios-${g.suite}`, config as ChartConfiguration, {
      height: 120 + 26 * g.ratios.length,
      note: `${gi === 0 ? "Green: the first-named is faster; orange: slower. " : ""}Each ratio is t(second) / t(first), round by round in the same run.`,
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
    const lowest = Math.min(
      ...mine.flatMap((x) => x.points.map((p) => p.accuracy * 100)),
      base ? base.accuracy * 100 : 100,
    );
    // From the nearest ten below the lowest point: the gaps between methods stay visible.
    const yMin = Math.max(0, Math.floor((lowest - 5) / 10) * 10);
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
            y: { min: yMin, max: 100, title: { display: true, text: "test accuracy (%)" } },
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

function renderComparison(current: LoadedRun, base: LoadedRun) {
  const threshold = Math.min(0.99, Math.max(0, Number(thresholdInput.value) / 100 || 0));
  const cmp = compareRuns(base.run, current.run, threshold);
  const s = section(`Side by side: ${current.name} against ${base.name}`, "compare");
  s.append(
    el(
      "p",
      { id: "compare-summary" },
      cmp.regressions.length > 0
        ? `${cmp.regressions.length} ratio(s) fell by more than ${(threshold * 100).toFixed(0)}%: marked in red.`
        : `No ratio fell by more than ${(threshold * 100).toFixed(0)}% (${cmp.changes.length} compared).`,
    ),
  );
  const sorted = [...cmp.changes].sort((a, b) => a.change - b.change);
  const t = table(
    ["suite", "ratio", base.name, current.name, "change", ""],
    sorted.map((c) => [
      c.suite,
      c.label,
      formatNumber(c.base),
      formatNumber(c.current),
      `${c.change >= 0 ? "+" : ""}${(c.change * 100).toFixed(1)}%`,
      c.regressed ? "▼ regressed" : c.improved ? "▲ improved" : "",
    ]),
    { id: "compare-table" },
    new Set([2, 3, 4]),
  );
  t.querySelectorAll("tbody tr").forEach((tr, i) => {
    const c = sorted[i]!;
    if (c.regressed) tr.classList.add("regressed");
    else if (c.improved) tr.classList.add("improved");
  });
  s.append(t);
  if (cmp.missing.length > 0) {
    s.append(
      el(
        "p",
        { class: "muted" },
        `Only in ${base.name}: ${cmp.missing.map((m) => `${m.suite}/${m.id}${m.why ? ` (${m.why.split("\n")[0]})` : ""}`).join("; ")}`,
      ),
    );
  }
  if (sorted.length > 0) {
    chartCard(
      s,
      "compare-chart",
      {
        type: "bar",
        data: {
          labels: sorted.map((c) => `${c.regressed ? "▼ " : ""}${c.label}`),
          datasets: [
            { label: base.name, data: sorted.map((c) => c.base), backgroundColor: "#999999" },
            {
              label: current.name,
              data: sorted.map((c) => c.current),
              backgroundColor: sorted.map((c) => (c.regressed ? "#D55E00" : "#0072B2")),
            },
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            title: {
              display: true,
              text: "Speed ratios of the two runs (regressions in red-orange, marked ▼)",
              font: { size: 14 },
            },
            legend: { position: "bottom" },
          },
          scales: {
            x: {
              type: "logarithmic",
              title: { display: true, text: "speed ratio (×, log scale)" },
              ticks: { callback: logTick },
            },
            y: { ticks: { autoSkip: false, font: { size: 11 } } },
          },
        },
        plugins: [unitLine],
      } as ChartConfiguration,
      { height: 90 + 30 * sorted.length },
    );
  }
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
  renderRunInfo(a.name, a.run);
  renderHeadlines(a.run);
  if (b) renderComparison(a, b);
  renderThroughput(a.run);
  renderThroughputBars(a.run);
  renderStages(a.run);
  renderRatios(a.run);
  renderExactness(section("Exactness against the reference", "exactness"), a.run);
  renderAccuracy(a.run);
  renderCalibrators(a.run);
  renderNumbers(a.run);
  document.body.dataset.charts = String(live.length);
  // What each chart says about itself, for the Chromium test (titles, axis titles, legend entries).
  (window as unknown as { benchCharts: unknown }).benchCharts = live.map((c) => {
    const scales = c.options.scales as Record<string, { title?: { text?: unknown } }> | undefined;
    return {
      id: c.canvas.id,
      title: String(c.options.plugins?.title?.text ?? ""),
      axes: Object.values(scales ?? {})
        .map((a) => String(a.title?.text ?? ""))
        .filter(Boolean),
      legend: c.data.datasets.map((d) => String(d.label ?? "")),
    };
  });
  document.body.dataset.rendered = a.name;
}

showBundled();
render();
