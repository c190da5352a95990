/** The chart of a training loss curve (sections 8 and 9): the raw points and their moving average. */
import type { ChartConfiguration } from "chart.js";
import type { LossPoint } from "../lib/lossCurve";
import { axisTitle } from "./chart";
import { palette } from "./palette";

export function lossChart(curve: readonly LossPoint[], label = "training loss"): ChartConfiguration {
  // An exponential moving average over the points (about 20 of them) shows the trend under the noise.
  const alpha = 2 / 21;
  let ema = curve[0]?.loss ?? 0;
  const smooth = curve.map((p) => {
    ema += alpha * (p.loss - ema);
    return { x: p.step, y: ema };
  });
  return {
    type: "line",
    data: {
      datasets: [
        {
          label,
          data: curve.map((p) => ({ x: p.step, y: p.loss })),
          borderColor: "rgba(59, 91, 219, 0.35)",
          pointRadius: 0,
          borderWidth: 1,
        },
        {
          label: "moving average",
          data: smooth,
          borderColor: palette.accent,
          pointRadius: 0,
          borderWidth: 2.2,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", beginAtZero: true, title: axisTitle("optimizer step (batches of 10 digits)") },
        y: { type: "linear", beginAtZero: true, title: axisTitle("loss (nats)") },
      },
    },
  };
}
