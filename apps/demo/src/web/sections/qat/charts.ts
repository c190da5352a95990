/**
 * Section 9's charts: the straight-through estimator of a fake quantizer, PTQ against QAT by bit
 * width, and a layer's weights before and after QAT on the grid of its weight quantizer.
 */
import type { ChartConfiguration } from "chart.js";
import { formatSig } from "../../lib/format";
import { histogram } from "../../lib/histogram";
import type { SteFigure } from "../../lib/steFigure";
import { axisTitle } from "../../ui/chart";
import { countAxis, histogramDataset, histogramPoints } from "../../ui/histogramChart";
import { palette } from "../../ui/palette";
import type { SweepOutput, WeightsOutput } from "../../worker/qat";

/** The straight-through estimator of a 3-bit fake quantizer: forward staircase, backward mask. */
export function steChart(f: SteFigure): ChartConfiguration {
  const { xs, output, mask } = f;
  return {
    type: "line",
    data: {
      datasets: [
        {
          label: "forward: fake quantize(x)",
          data: [...xs].map((x, i) => ({ x, y: output[i]! })),
          borderColor: palette.accent,
          borderWidth: 2,
          pointRadius: 0,
        },
        {
          label: `backward (STE): ∂/∂x = 1 on [${formatSig(f.maskFrom, 3)}, ${formatSig(f.maskTo, 3)}], 0 outside`,
          data: [...xs].map((x, i) => ({ x, y: mask[i]! })),
          borderColor: palette.accent2,
          borderWidth: 2,
          pointRadius: 0,
          borderDash: [6, 3],
          stepped: true,
        },
        {
          label: "the identity y = x",
          data: [
            { x: -1.6, y: -1.6 },
            { x: 1.6, y: 1.6 },
          ],
          borderColor: "rgba(29, 36, 51, 0.25)",
          borderWidth: 1,
          pointRadius: 0,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", min: -1.6, max: 1.6, title: axisTitle("x (the value being quantized)") },
        y: { type: "linear", min: -1.7, max: 1.7, title: axisTitle("output / gradient") },
      },
    },
  };
}

/** Accuracy by bit width: PTQ and QAT as bars, the float model before and after the same training as lines. */
export function sweepChart(s: SweepOutput): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels: s.rows.map((row) => `${row.bits} bits`),
      datasets: [
        {
          type: "line",
          label: "float32 before",
          data: s.rows.map(() => s.fp32 * 100),
          borderColor: palette.muted,
          borderDash: [2, 3],
          borderWidth: 1.5,
          pointRadius: 0,
        },
        {
          type: "line",
          label: "float32, same extra training (fair baseline)",
          data: s.rows.map(() => s.fp32SameTraining * 100),
          borderColor: palette.ink,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
        },
        {
          label: "PTQ (min-max)",
          data: s.rows.map((row) => row.ptq * 100),
          backgroundColor: palette.accent2,
        },
        {
          label: `QAT (${s.mode === "finetune" ? "fine-tuned" : "from scratch"}, ${s.epochs} epoch${s.epochs > 1 ? "s" : ""})`,
          data: s.rows.map((row) => row.qat * 100),
          backgroundColor: palette.accent,
        },
      ],
    },
    options: {
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { title: axisTitle("bits of weights and activations") },
        y: { min: 0, max: 100, title: axisTitle("test accuracy", "%") },
      },
    },
  };
}

/** A layer's weights before (the float model) and after QAT, with the QAT weight quantizer's grid. */
export function weightChart(w: WeightsOutput): ChartConfiguration {
  let lo = 0;
  let hi = 0;
  for (const v of w.fp32) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (const v of w.qat) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const bins = 120;
  const a = histogramPoints(histogram(w.fp32, bins, lo, hi), false);
  const b = histogramPoints(histogram(w.qat, bins, lo, hi), false);
  const grid: number[] = [];
  for (let q = w.quantMin; q <= w.quantMax; q++) grid.push(q * w.qatScale);
  return {
    type: "line",
    data: {
      datasets: [
        histogramDataset("before: the float model's weights", a, {
          line: palette.accent2,
          fill: palette.accent2Soft,
          width: 1.5,
        }),
        histogramDataset(`after QAT at ${w.bits} bits`, b, {
          line: palette.accent,
          fill: "rgba(59, 91, 219, 0.10)",
          width: 1.5,
        }),
      ],
    },
    options: {
      parsing: false,
      plugins: {
        legend: { position: "bottom" },
        markers: {
          grid: { xs: grid, color: "rgba(29, 36, 51, 0.35)" },
          lines: [
            {
              x: w.quantMin * w.qatScale,
              color: palette.ink,
              dash: [4, 3],
              width: 1.5,
              label: `β = ${formatSig(w.quantMin * w.qatScale, 3)}`,
            },
            {
              x: w.quantMax * w.qatScale,
              color: palette.ink,
              dash: [4, 3],
              width: 1.5,
              label: `α = ${formatSig(w.quantMax * w.qatScale, 3)}`,
            },
          ],
        },
      },
      scales: {
        x: { type: "linear", min: lo, max: hi, title: axisTitle(`${w.layer} weight value`) },
        y: countAxis(false),
      },
    },
  };
}
