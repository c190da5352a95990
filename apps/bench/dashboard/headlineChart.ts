/**
 * The headline chart: int8 against fp32 on each backend, and quantkit's int8 GEMM against
 * onnxruntime-node's and onnxruntime-web's, as paired speed ratios with min–max whiskers, bars starting
 * at 1 (same speed) on a log axis.
 */
import type { ChartConfiguration } from "chart.js";
import { HEADLINE_GROUPS, headlineComparison } from "../src/headlineComparison";
import type { BenchResultFile } from "../src/schema";
import { formatNumber } from "../src/views";
import { chartOptions, ratioAxis } from "./chartOptions";
import { chartCard, unitLine, whiskers } from "./charts";
import { el } from "./dom";

const GROUP_COLORS = ["#0072B2", "#E69F00", "#CC79A7"];

/** Renders the chart (or says why there is none) into `s`. */
export function renderHeadlineChart(s: HTMLElement, run: BenchResultFile): void {
  const { bars, missing } = headlineComparison(run);
  if (bars.length > 0) {
    const config: ChartConfiguration<"bar"> = {
      type: "bar",
      data: {
        labels: bars.map((b) => `${b.group} · ${b.backend} · ${b.shape}`),
        datasets: [
          {
            label: "median speed ratio (×; bars start at 1 = same speed; whiskers: min–max)",
            data: bars.map((b) => b.median),
            base: 1,
            backgroundColor: bars.map(
              (b) => GROUP_COLORS[HEADLINE_GROUPS.findIndex((g) => g.label === b.group)]!,
            ),
            whiskers: bars.map((b) => [b.min, b.max]),
          } as never,
        ],
      },
      options: chartOptions<"bar">(
        "int8 against fp32 per backend, and quantkit against onnxruntime (GEMM, > 1: the first named is faster)",
        { x: ratioAxis(bars.flatMap((b) => [b.min, b.max])) },
        {
          horizontal: true,
          tooltip: {
            callbacks: {
              label: (item) => {
                const b = bars[item.dataIndex]!;
                return `${formatNumber(b.median)}× (min ${formatNumber(b.min)}, max ${formatNumber(b.max)}), ${b.suite}`;
              },
            },
          },
        },
      ),
      plugins: [whiskers, unitLine],
    };
    chartCard(s, "headline-chart-canvas", config as ChartConfiguration, {
      height: 110 + 26 * bars.length,
      note: "Blue: int8 / fp32 on the same backend; orange: quantkit / onnxruntime-node; pink: quantkit / onnxruntime-web. Per backend, the largest GEMM measured. Speed ratio on a log scale; bars start at 1.",
    });
  }
  if (missing.length > 0)
    s.append(
      el("ul", { class: "muted", id: "headline-chart-missing" }, ...missing.map((m) => el("li", {}, m))),
    );
}
