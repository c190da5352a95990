import { Chart, type ChartConfiguration, type Plugin, registerables } from "chart.js";

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
Chart.defaults.color = "#1b1f24";

/** Colour-blind-safe palette (Okabe-Ito, then Tol's muted), cycled by series index. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#D55E00",
  "#56B4E9",
  "#332288",
  "#882255",
  "#117733",
  "#999933",
  "#000000",
];
export const color = (i: number) => PALETTE[i % PALETTE.length]!;

/** Draws the min-max whisker of each bar (data in `dataset.whiskers`, [min, max] per bar). */
export const whiskers: Plugin = {
  id: "whiskers",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    chart.data.datasets.forEach((ds, di) => {
      const w = (ds as unknown as { whiskers?: ([number, number] | null)[] }).whiskers;
      if (!w || !chart.isDatasetVisible(di)) return;
      const meta = chart.getDatasetMeta(di);
      const horizontal = chart.options.indexAxis === "y";
      const valueScale = horizontal ? chart.scales.x! : chart.scales.y!;
      meta.data.forEach((bar, i) => {
        const range = w[i];
        if (!range) return;
        const a = valueScale.getPixelForValue(range[0]);
        const b = valueScale.getPixelForValue(range[1]);
        const p = bar.getProps(["x", "y"], true) as { x: number; y: number };
        ctx.save();
        ctx.strokeStyle = "#1b1f24";
        ctx.lineWidth = 1.2;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(a, p.y);
          ctx.lineTo(b, p.y);
          ctx.moveTo(a, p.y - 4);
          ctx.lineTo(a, p.y + 4);
          ctx.moveTo(b, p.y - 4);
          ctx.lineTo(b, p.y + 4);
        } else {
          ctx.moveTo(p.x, a);
          ctx.lineTo(p.x, b);
          ctx.moveTo(p.x - 4, a);
          ctx.lineTo(p.x + 4, a);
          ctx.moveTo(p.x - 4, b);
          ctx.lineTo(p.x + 4, b);
        }
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/** A dashed line at value 1 on the value axis of a ratio chart ("same speed"). */
export const unitLine: Plugin = {
  id: "unitLine",
  afterDatasetsDraw(chart) {
    const horizontal = chart.options.indexAxis === "y";
    const scale = horizontal ? chart.scales.x : chart.scales.y;
    if (!scale || scale.min > 1 || scale.max < 1) return;
    const px = scale.getPixelForValue(1);
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = "#b00020";
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    if (horizontal) {
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
    } else {
      ctx.moveTo(chartArea.left, px);
      ctx.lineTo(chartArea.right, px);
    }
    ctx.stroke();
    ctx.restore();
  },
};

/**
 * Tick labels of a log axis: only 1, 2 and 5 times a power of ten are labelled (compactly: 200K, 1M,
 * 0.05), so that the labels never overlap.
 */
export function logTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return "";
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = v / 10 ** e;
  if (![1, 2, 5].some((x) => Math.abs(m - x) < 1e-6)) return "";
  if (v >= 1e9) return `${v / 1e9}G`;
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}K`;
  return String(Number(v.toPrecision(3)));
}

/** Every chart on the page, so that a re-render destroys the old ones (and the e2e test can count them). */
export const live: Chart[] = [];

/** Creates a chart in a new card (title above it, optional note below) appended to `parent`. */
export function chartCard(
  parent: HTMLElement,
  id: string,
  config: ChartConfiguration,
  options: { height?: number; note?: string } = {},
): Chart {
  const card = document.createElement("div");
  card.className = "card";
  const box = document.createElement("div");
  box.className = "chart-box";
  box.style.height = `${options.height ?? 300}px`;
  const canvas = document.createElement("canvas");
  canvas.id = id;
  canvas.setAttribute("role", "img");
  const title = (config.options?.plugins?.title?.text as string | undefined) ?? id;
  canvas.setAttribute("aria-label", title);
  if (options.note) canvas.dataset.note = options.note;
  box.append(canvas);
  card.append(box);
  if (options.note) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = options.note;
    card.append(p);
  }
  parent.append(card);
  const chart = new Chart(canvas, config);
  live.push(chart);
  return chart;
}

export function destroyAll(): void {
  for (const c of live.splice(0)) c.destroy();
}
