/**
 * The parts of a histogram chart that sections 4, 5 and 9 share: the bins drawn as a filled step
 * line, and the count axis, logarithmic when a lone outlier would flatten every other bin.
 */
import type { ChartDataset } from "chart.js";
import { type Histogram, histogramSteps } from "../lib/histogram";
import { axisTitle } from "./chart";

/** Where a logarithmic count axis starts: an empty bin sits just below one count. */
const _LOG_FLOOR = 0.7;

/** The histogram as step points; on a log axis an empty bin is drawn at its floor, not at 0. */
export function histogramPoints(hist: Histogram, logY: boolean): { x: number; y: number }[] {
  return histogramSteps(hist).map((p) => ({ x: p.x, y: logY ? Math.max(p.y, _LOG_FLOOR) : p.y }));
}

/** The bins as a step line filled down to the axis. */
export function histogramDataset(
  label: string,
  data: { x: number; y: number }[],
  color: { line: string; fill: string; width: number },
): ChartDataset<"line", { x: number; y: number }[]> {
  return {
    label,
    data,
    stepped: "after",
    borderColor: color.line,
    backgroundColor: color.fill,
    fill: "origin",
    pointRadius: 0,
    borderWidth: color.width,
  };
}

/** The y axis of a histogram: count per bin, linear from 0 or logarithmic from the floor. */
export function countAxis(logY: boolean) {
  return logY
    ? { type: "logarithmic" as const, min: _LOG_FLOOR, title: axisTitle("count per bin (log scale)") }
    : { type: "linear" as const, beginAtZero: true, title: axisTitle("count per bin") };
}
