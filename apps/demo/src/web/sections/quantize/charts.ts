/**
 * Section 4's charts: the quantize → dequantize staircase with the learner's values on it, the
 * tensor's histogram under the quantization grid, and how many values land on each integer code.
 */
import { fakeQuantize } from "@quantkit/quantizers";
import type { ChartConfiguration } from "chart.js";
import { gridValues, type QuantizeReport, type Scheme } from "../../lib/deckQuantize";
import { histogram } from "../../lib/histogram";
import { axisTitle } from "../../ui/chart";
import { countAxis, histogramDataset, histogramPoints } from "../../ui/histogramChart";
import { palette } from "../../ui/palette";

/** x̂ against x over the values' range, and the values themselves as dots on the staircase. */
export function stairsChart(small: QuantizeReport, values: Float32Array): ChartConfiguration {
  const pad = (small.max - small.min) * 0.08 || 1;
  const lo = small.min - pad;
  const hi = small.max + pad;
  const xs = new Float32Array(600);
  for (let i = 0; i < xs.length; i++) xs[i] = lo + ((hi - lo) * i) / (xs.length - 1);
  const ys = fakeQuantize(xs, [xs.length], small.qparams);
  return {
    type: "line",
    data: {
      datasets: [
        {
          label: "x̂ = dequantize(quantize(x))",
          data: [...xs].map((x, i) => ({ x, y: ys[i]! })),
          borderColor: palette.accent,
          borderWidth: 2,
          pointRadius: 0,
          stepped: false,
        },
        {
          label: "your values",
          data: [...values].map((x, i) => ({ x, y: small.dequantized[i]! })),
          borderColor: palette.accent2,
          backgroundColor: palette.accent2,
          showLine: false,
          pointRadius: 3.5,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", min: lo, max: hi, title: axisTitle("x (input value)") },
        y: { type: "linear", title: axisTitle("x̂ (dequantized value)") },
      },
    },
  };
}

/** The tensor's histogram (log counts for the outlier) with the grid of the values the codes stand for. */
export function tensorHistogramChart(
  report: QuantizeReport,
  tensor: Float32Array,
  logY: boolean,
  bits: number,
  scheme: Scheme,
): ChartConfiguration {
  const lo = Math.min(report.min, scheme === "symmetric" ? -Math.max(-report.min, report.max) : report.min);
  const hi = Math.max(report.max, scheme === "symmetric" ? Math.max(-report.min, report.max) : report.max);
  const pad = (hi - lo) * 0.03;
  const hist = histogram(tensor, 160, report.min, report.max);
  const pts = histogramPoints(hist, logY);
  const grid = gridValues(report.qparams);
  const qlo = grid[0]!;
  const qhi = grid[grid.length - 1]!;
  return {
    type: "line",
    data: {
      datasets: [
        histogramDataset("values of the tensor", pts, {
          line: palette.accent,
          fill: palette.accentSoft,
          width: 1.5,
        }),
      ],
    },
    options: {
      parsing: false,
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        markers: {
          grid: { xs: grid, color: bits <= 6 ? "rgba(232, 89, 12, 0.55)" : "rgba(232, 89, 12, 0.22)" },
          lines: [
            { x: qlo, color: palette.accent2, label: `q = ${report.qparams.quantMin}` },
            { x: qhi, color: palette.accent2, label: `q = ${report.qparams.quantMax}` },
            ...(scheme === "asymmetric"
              ? [{ x: 0, color: palette.ink, dash: [4, 3], width: 1, label: `0 → q = ${report.zeroPoint}` }]
              : []),
          ],
        },
      },
      scales: {
        x: {
          type: "linear",
          min: Math.min(lo, qlo) - pad,
          max: Math.max(hi, qhi) + pad,
          title: axisTitle("value x"),
        },
        y: countAxis(logY),
      },
    },
  };
}

/** How many of the tensor's values map to each integer code. */
export function codeChart(report: QuantizeReport): ChartConfiguration {
  const { quantMin } = report.qparams;
  const counts = [...report.codeCounts];
  return {
    type: "bar",
    data: {
      labels: counts.map((_, i) => String(quantMin + i)),
      datasets: [
        {
          label: "values mapped to each code",
          data: counts,
          backgroundColor: palette.accent2,
          barPercentage: 1,
          categoryPercentage: 1,
        },
      ],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        x: { title: axisTitle("integer code q"), ticks: { maxTicksLimit: 9, maxRotation: 0 } },
        y: { beginAtZero: true, title: axisTitle("count") },
      },
    },
  };
}
