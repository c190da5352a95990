/**
 * The setup every dashboard chart shares, in one place: options sized by the chart's card with a title
 * above and the legend below, horizontal bar charts that label every bar, and log axes with 1-2-5
 * ticks (speed ratios: around the line at 1).
 */
import type { ChartOptions, ChartType, TooltipItem } from "chart.js";
import { logTick } from "./charts";

/** Scale options by axis id ("x", "y"), as Chart.js takes them. */
type Scales = Record<string, object>;
/** The tooltip line of each item, where a chart words it itself. */
type Tooltip<T extends ChartType> = { callbacks: { label: (item: TooltipItem<T>) => string } };

/** The category axis of a horizontal bar chart: every label shown, small enough for long ones. */
const LABEL_AXIS = { ticks: { autoSkip: false, font: { size: 11 } } };

/**
 * A chart's options: sized by its card (responsive, no fixed aspect ratio), `title` above in 14 px, the
 * legend below, `scales` as given. `horizontal`: bars along x (`indexAxis: "y"`), the y axis labelling
 * every bar (its other settings merged from `scales.y`).
 *
 * @example
 * chartOptions<"bar">("Speed ratios", { x: logAxis("speed ratio (×, log scale)") }, { horizontal: true });
 * // { indexAxis: "y", responsive: true, maintainAspectRatio: false, plugins: { title: …, legend: { position: "bottom" } }, scales: { x: …, y: { ticks: { autoSkip: false, font: { size: 11 } } } } }
 */
export function chartOptions<T extends ChartType>(
  title: string,
  scales: Scales,
  more: { horizontal?: boolean; tooltip?: Tooltip<T> } = {},
): ChartOptions<T> {
  const options = {
    ...(more.horizontal ? { indexAxis: "y" as const } : {}),
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      title: { display: true, text: title, font: { size: 14 } },
      legend: { position: "bottom" as const },
      ...(more.tooltip ? { tooltip: more.tooltip } : {}),
    },
    scales: more.horizontal ? { ...scales, y: { ...LABEL_AXIS, ...scales.y } } : scales,
  };
  return options as ChartOptions<T>;
}

/**
 * A logarithmic axis titled `title`, labelled only at 1, 2 and 5 times a power of ten (see logTick),
 * from `min` to `max` where given.
 *
 * @example
 * logAxis("time (ms, log scale)", { min: 0.5 });
 * // { type: "logarithmic", min: 0.5, title: { display: true, text: "time (ms, log scale)" }, ticks: { callback: logTick } }
 */
export function logAxis(title: string, range: { min?: number; max?: number } = {}) {
  return {
    type: "logarithmic" as const,
    ...range,
    title: { display: true, text: title },
    ticks: { callback: logTick },
  };
}

/**
 * The log axis of a speed-ratio chart: wide enough for every value in `values` and for the line at 1
 * (same speed), with a quarter of margin either side.
 *
 * @example
 * ratioAxis([0.5, 3]); // logAxis("speed ratio (×, log scale)", { min: 0.4, max: 3.75 })
 */
export function ratioAxis(values: readonly number[], title = "speed ratio (×, log scale)") {
  return logAxis(title, { min: Math.min(1, ...values) / 1.25, max: Math.max(1, ...values) * 1.25 });
}
