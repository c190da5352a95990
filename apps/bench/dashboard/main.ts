import { files as bundled } from "virtual:bench-results";
import { noiseThreshold } from "../src/compare";
import type { BenchResultFile, SuiteResult } from "../src/schema";
import { parseResultFile } from "../src/validateResultFile";
import { formatNumber, headlines } from "../src/views";
import { renderAccuracy, renderCalibrators } from "./accuracyCharts";
import { destroyAll, live } from "./charts";
import { renderComparison } from "./compareView";
import { el, table } from "./dom";
import { renderExactness } from "./exactness";
import { renderHeadlineChart } from "./headlineChart";
import { renderOnnxCharts } from "./onnxCharts";
import { renderRatios, renderStages, renderThroughput, renderThroughputBars } from "./speedCharts";
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
  renderThroughput(section, a.run);
  renderThroughputBars(section, a.run);
  renderStages(section, a.run);
  renderRatios(section, a.run);
  const exactSection = section("Exactness against the reference", "exactness");
  exactSection.append(...placeholders("exactness", a.run));
  renderExactness(exactSection, a.run);
  renderAccuracy(section, a.run);
  renderCalibrators(section, a.run);
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

showBundled();
loadNewestBundled();
render();
