/**
 * The dashboard's accuracy charts of one run: MLP test accuracy against bits per data set (with its
 * table and the model file sizes), and the error of the range each calibrator picks.
 */
import type { ChartConfiguration } from "chart.js";
import type { BenchResultFile } from "../src/schema";
import { accuracySeries, calibratorErrors, formatPercent, modelSizes } from "../src/views";
import { chartOptions, logAxis } from "./chartOptions";
import { chartCard, color } from "./charts";
import { el, type Section, table } from "./dom";

export function renderAccuracy(section: Section, run: BenchResultFile) {
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
        options: chartOptions<"line">(
          `MLP test accuracy${name ? ` on ${name}` : ""} against bits: PTQ (solid), QAT (dashed), fp32 (dotted)`,
          {
            x: {
              type: "linear",
              reverse: true,
              ticks: { stepSize: 1 },
              title: { display: true, text: "bits (weights and activations)" },
            },
            // From 0: a zoomed axis would turn a few tenths of a point into a cliff.
            y: { min: 0, max: 100, title: { display: true, text: "test accuracy (%)" } },
          },
        ),
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

export function renderCalibrators(section: Section, run: BenchResultFile) {
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
      options: chartOptions<"bar">(
        "Error of the range each observer picks (8-bit quantize-dequantize, lower is better)",
        {
          x: { title: { display: true, text: "observer" } },
          y: logAxis(`error (${data.unit}, log scale)`),
        },
      ),
    } as ChartConfiguration,
    { height: 340 },
  );
}
