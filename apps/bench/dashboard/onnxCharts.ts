/**
 * The dashboard's charts of the onnx suite (@quantkit/onnx on real models): per model and mode, the file
 * size against the float file, the time to quantize, and its peak memory against the float file. The
 * suite's float-vs-quantized inference ratios are drawn with every other suite's ratios. Self-contained;
 * main.ts gives it a section element and calls it only when the run has the suite.
 */
import type { ChartConfiguration } from "chart.js";
import type { BenchResultFile, Metric } from "../src/schema";
import { chartOptions } from "./chartOptions";
import { chartCard, color } from "./charts";

const MODES = ["fp16", "q8", "int8"];

/** The onnx suite's metrics of one kind, as one grouped bar chart: a bar per mode, a group per model. */
function metricChart(
  parent: HTMLElement,
  id: string,
  metrics: readonly Metric[],
  kind: string,
  title: string,
  axis: string,
  scale = 1,
): void {
  const mine = metrics.filter((m) => m.kind === kind);
  if (mine.length === 0) return;
  const models = [...new Set(mine.map((m) => String(m.params.model)))];
  const modes = MODES.filter((mode) => mine.some((m) => m.params.mode === mode));
  const config: ChartConfiguration<"bar"> = {
    type: "bar",
    data: {
      labels: models,
      datasets: modes.map((mode, i) => ({
        label: mode,
        backgroundColor: color(i),
        data: models.map((model) => {
          const m = mine.find((x) => x.params.model === model && x.params.mode === mode);
          return m === undefined ? null : (m.value as number) * scale;
        }) as number[],
      })),
    },
    options: chartOptions<"bar">(title, {
      x: { title: { display: true, text: "model" } },
      y: { beginAtZero: true, title: { display: true, text: axis } },
    }),
  };
  chartCard(parent, id, config as ChartConfiguration, { height: 280 });
}

/** Fills `section` with the onnx suite's size, quantize-time and peak-memory charts. */
export function renderOnnxCharts(section: HTMLElement, run: BenchResultFile): void {
  const suite = run.suites.find((s) => s.id === "onnx" && s.status === "ok");
  if (!suite) return;
  const m = suite.metrics;
  metricChart(
    section,
    "onnx-size",
    m,
    "model-size",
    "File size of the quantized model (lower is better)",
    "size (% of the float file)",
    100,
  );
  metricChart(
    section,
    "onnx-quantize-time",
    m,
    "quantize-time",
    "Time to quantize, in Node (lower is better)",
    "time (s)",
    1 / 1000,
  );
  metricChart(
    section,
    "onnx-peak-memory",
    m,
    "peak-memory",
    "Peak memory while quantizing (lower is better)",
    "peak resident memory (x the float file)",
  );
}
