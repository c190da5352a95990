/**
 * The dashboard's speed charts of one run: throughput against size (series measured at several sizes),
 * throughput per case (the others), the GPU calls by stage, and the paired speed ratios. Each render
 * function adds its section (through `section`) only when the run has something to show in it.
 */
import type { ChartConfiguration } from "chart.js";
import { axesCaption, valueAxis } from "../src/axes";
import type { BenchResultFile } from "../src/schema";
import {
  formatNumber,
  MIN_CURVE_SIZES,
  ratioGroups,
  stageBreakdown,
  throughputBars,
  throughputCharts,
} from "../src/views";
import { chartOptions, logAxis, ratioAxis } from "./chartOptions";
import { chartCard, color, unitLine, whiskers } from "./charts";
import { el, type Section } from "./dom";
import { placeholders } from "./summary";

/** A chart of a suite that did not finish says so in its title. */
const partial = (status: string) => (status === "ok" ? "" : ` [suite ${status}: partial]`);

/** Whether any timing of the run states its role (files written before the field state none). */
const rolesRecorded = (run: BenchResultFile) =>
  run.suites.some((s) => s.timings.some((t) => t.role !== undefined));

export function renderThroughput(section: Section, run: BenchResultFile) {
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
      options: chartOptions<"line">(
        `${c.title}: throughput against size (higher is better)${partial(c.suiteStatus)}`,
        {
          x: logAxis(`${c.xLabel}, log scale`),
          // Log only where the values span more than a factor of 20; else linear from 0, so that two close
          // values never look like a steep climb.
          y:
            y.type === "logarithmic"
              ? logAxis(`${c.yLabel}, log scale`)
              : { type: "linear", beginAtZero: true, title: { display: true, text: c.yLabel } },
        },
        {
          tooltip: {
            callbacks: {
              label: (item) => {
                const p = c.series[item.datasetIndex]!.points[item.dataIndex]!;
                return `${item.dataset.label}: ${formatNumber(p.y)} (min ${formatNumber(p.min)}, max ${formatNumber(p.max)})${p.shape ? ` at ${p.shape}` : ""}`;
              },
            },
          },
        },
      ),
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

export function renderThroughputBars(section: Section, run: BenchResultFile) {
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
        options: chartOptions<"bar">(
          `${g.title}${partial(g.suiteStatus)}`,
          {
            x:
              axis.type === "logarithmic"
                ? logAxis(`throughput (${g.unit}, log scale)`, { min: lo / 1.5, max: hi * 1.5 })
                : {
                    type: "linear",
                    beginAtZero: true,
                    title: { display: true, text: `throughput (${g.unit})` },
                  },
          },
          { horizontal: true },
        ),
        plugins: [whiskers],
      } as ChartConfiguration,
      {
        height: 90 + 22 * g.bars.length,
        note: `Axis: ${axisWords(axis.type, "throughput")}`,
      },
    );
  }
}

export function renderStages(section: Section, run: BenchResultFile) {
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
      options: chartOptions<"bar">(
        "Time of one GPU call, by stage (stacked; lower is better)",
        {
          x: { stacked: true, title: { display: true, text: "time per call (ms)" } },
          y: { stacked: true },
        },
        { horizontal: true },
      ),
    } as ChartConfiguration,
    { height: 90 + 26 * rows.length },
  );
}

export function renderRatios(section: Section, run: BenchResultFile) {
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
      // The whiskers and the line at 1 must fit, not only the medians.
      options: chartOptions<"bar">(
        `${g.title}${partial(g.suiteStatus)}`,
        { x: ratioAxis(g.ratios.flatMap((r) => [r.min, r.max])) },
        { horizontal: true },
      ),
      plugins: [whiskers, unitLine],
    };
    chartCard(s, `ratios-${g.key}`, config as ChartConfiguration, {
      height: 120 + 26 * g.ratios.length,
      note: `${gi === 0 ? "Green: the first-named is faster; orange: slower. " : ""}${g.sameBackend ? "Both timings of each ratio ran on the same backend. " : "Each ratio compares two backends or libraries. "}Each ratio is t(second) / t(first), round by round in the same run. Axis: ${axisWords("logarithmic", "speed ratio")}`,
    });
  });
}

/** Words for one axis, from its type: never "log" unless it is. */
function axisWords(type: string, name: string): string {
  return type === "logarithmic" ? `${name} on a log scale.` : `${name} on a linear scale from 0.`;
}
