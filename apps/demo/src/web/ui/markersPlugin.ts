/**
 * A small Chart.js plugin that draws vertical markers over a chart: a chosen range's ends, the
 * quantization grid, the clipped bands outside a range. Line labels are drawn after every line, each
 * on a white box, so that no line runs through a label.
 */
import type { ChartType, Plugin } from "chart.js";

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

/** The markers plugin (id "markers"), registered by chart.ts; options in `options.plugins.markers`. */
export const markersPlugin: Plugin = {
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
