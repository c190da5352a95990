/**
 * Chart.js, registered with only what the page draws (tree-shaken), a Preact wrapper that updates
 * a chart in place when its configuration changes, and a small plugin that draws vertical markers
 * over a chart: a chosen range's ends, the quantization grid, the clipped bands outside a range.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  type Plugin,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatLogTick } from "../lib/format";
import { palette } from "./palette";

/** A vertical line at x (in data units) with an optional label at its top. */
export interface MarkerLine {
  x: number;
  color: string;
  label?: string;
  dash?: number[];
  width?: number;
}

/** Options of the markers plugin: `options.plugins.markers`. */
export interface MarkersOptions {
  lines?: MarkerLine[];
  /** Thin lines at every x (the quantization grid), drawn behind the data. */
  grid?: { xs: ArrayLike<number>; color: string };
  /** Shaded x intervals (what a range clips away). */
  bands?: { from: number; to: number; color: string }[];
  /** Rows the line labels are staggered over, so that close lines keep readable labels. Default 4. */
  labelRows?: number;
}

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    markers?: MarkersOptions;
  }
}

const markersPlugin: Plugin = {
  id: "markers",
  beforeDatasetsDraw(chart, _args, options: MarkersOptions) {
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    for (const band of options.bands ?? []) {
      const a = Math.max(area.left, x.getPixelForValue(band.from));
      const b = Math.min(area.right, x.getPixelForValue(band.to));
      if (b > a) {
        ctx.fillStyle = band.color;
        ctx.fillRect(a, area.top, b - a, area.bottom - area.top);
      }
    }
    if (options.grid) {
      const xs = options.grid.xs;
      ctx.strokeStyle = options.grid.color;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < xs.length; i++) {
        const px = Math.round(x.getPixelForValue(xs[i]!)) + 0.5;
        if (px < area.left || px > area.right) continue;
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
      }
      ctx.stroke();
    }
    ctx.restore();
  },
  afterDatasetsDraw(chart, _args, options: MarkersOptions) {
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "top";
    const lines = options.lines ?? [];
    const rows = options.labelRows ?? 4;
    let labelled = 0;
    const labels: { text: string; x: number; y: number; w: number; color: string }[] = [];
    for (const line of lines) {
      const px = x.getPixelForValue(line.x);
      if (px < area.left - 1 || px > area.right + 1) continue;
      ctx.strokeStyle = line.color;
      ctx.lineWidth = line.width ?? 2;
      ctx.setLineDash(line.dash ?? []);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      if (line.label) {
        const w = ctx.measureText(line.label).width;
        const tx = Math.min(Math.max(px + 4, area.left + 2), area.right - w - 2);
        labels.push({
          text: line.label,
          x: tx,
          y: area.top + 4 + (labelled++ % rows) * 13,
          w,
          color: line.color,
        });
      }
    }
    // Labels after every line, each on a paper-coloured box: no line runs through a label.
    ctx.setLineDash([]);
    for (const l of labels) {
      ctx.fillStyle = "rgba(255, 255, 255, 0.88)";
      ctx.fillRect(l.x - 2, l.y - 1, l.w + 4, 13);
      ctx.fillStyle = l.color;
      ctx.fillText(l.text, l.x, l.y);
    }
    ctx.restore();
  },
};

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
