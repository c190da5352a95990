/**
 * Chart.js, registered with only what the page draws (tree-shaken), a Preact wrapper that updates
 * a chart in place when its configuration changes, with the markers plugin (markersPlugin.ts).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatLogTick } from "../lib/format";
import { markersPlugin } from "./markersPlugin";
import { palette } from "./palette";

export type { MarkerLine, MarkersOptions } from "./markersPlugin";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Title,
  Tooltip,
  markersPlugin,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = palette.muted;
Chart.defaults.borderColor = palette.gridline;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 12;
// Axes with an explicit min/max (set from the data) should not print those odd bounds as ticks.
Chart.defaults.scales.linear.ticks.includeBounds = false;
Chart.defaults.scales.logarithmic.ticks.callback = (value) => formatLogTick(Number(value));

Chart.defaults.plugins.legend.labels.boxHeight = 12;

/**
 * A Chart.js chart in a fixed-height box. The chart is made once and updated in place when
 * `config` changes (the type stays); `id` becomes the canvas' data-testid.
 */
export function ChartView(props: {
  config: ChartConfiguration;
  height?: number;
  id?: string;
  label: string;
}): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const existing = chart.current;
    if (existing && (existing.config as ChartConfiguration).type === props.config.type) {
      existing.data = props.config.data;
      existing.options = props.config.options ?? {};
      existing.update("none");
      return;
    }
    existing?.destroy();
    chart.current = new Chart(canvas.current, props.config);
  }, [props.config]);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );
  return h(
    "div",
    { class: "chart", style: { height: `${props.height ?? 260}px` } },
    h("canvas", { ref: canvas, role: "img", "aria-label": props.label, "data-testid": props.id }),
  );
}

/** An axis title: what is plotted and its unit, e.g. axisTitle("size", "GB"). */
export function axisTitle(
  what: string,
  unit?: string,
): { display: true; text: string; color: string; font: { weight: "bold" } } {
  return {
    display: true,
    text: unit ? `${what} (${unit})` : what,
    color: palette.ink,
    font: { weight: "bold" },
  };
}
