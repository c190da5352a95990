import type { Chart } from "chart.js";
import { describe, expect, it } from "vitest";
import { type MarkersOptions, markersPlugin } from "./markersPlugin";

/** One drawing call on the recording context, with the state it was made in. */
type Op =
  | { kind: "stroke"; segments: [number, number, number, number][] }
  | { kind: "fillRect"; x: number; y: number; w: number; h: number; fillStyle: string }
  | { kind: "fillText"; text: string; x: number; y: number; fillStyle: string };

/** The 11 px label font with textBaseline "top": glyphs lie within [y, y + 11]. */
const FONT_PX = 11;
/** A fixed-pitch stand-in for measureText: 6 px a character. */
const CHAR_PX = 6;

/** A fake chart whose context records what the plugin draws: x maps [0, 10] onto pixels [40, 440]. */
function recordingChart(): { chart: Chart; ops: Op[] } {
  const ops: Op[] = [];
  let path: [number, number, number, number][] = [];
  let at: [number, number] = [0, 0];
  const ctx = {
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    font: "",
    textBaseline: "alphabetic",
    save() {},
    restore() {},
    setLineDash() {},
    beginPath() {
      path = [];
    },
    moveTo(x: number, y: number) {
      at = [x, y];
    },
    lineTo(x: number, y: number) {
      path.push([at[0], at[1], x, y]);
      at = [x, y];
    },
    stroke() {
      ops.push({ kind: "stroke", segments: path });
    },
    fillRect(x: number, y: number, w: number, h: number) {
      ops.push({ kind: "fillRect", x, y, w, h, fillStyle: String(ctx.fillStyle) });
    },
    fillText(text: string, x: number, y: number) {
      ops.push({ kind: "fillText", text, x, y, fillStyle: String(ctx.fillStyle) });
    },
    measureText(text: string) {
      return { width: text.length * CHAR_PX };
    },
  };
  const chart = {
    ctx,
    chartArea: { left: 40, right: 440, top: 10, bottom: 210 },
    scales: { x: { getPixelForValue: (v: number) => 40 + v * 40 } },
  };
  return { chart: chart as unknown as Chart, ops };
}

function draw(options: MarkersOptions): Op[] {
  const { chart, ops } = recordingChart();
  const hook = markersPlugin.afterDatasetsDraw as (c: Chart, a: unknown, o: MarkersOptions) => void;
  hook(chart, {}, options);
  return ops;
}

/** The alpha of an rgba()/rgb() fill, 1 for a named or hex colour; and whether it is white. */
function parseFill(style: string): { white: boolean; alpha: number } {
  const m = /^rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\s*\)$/.exec(style);
  if (!m) return { white: style === "white" || /^#f{3}(f{3})?$/i.test(style), alpha: 1 };
  const white = [m[1], m[2], m[3]].every((c) => Number(c) >= 245);
  return { white, alpha: m[4] === undefined ? 1 : Number(m[4]) };
}

// Close lines with labels, as section 5 draws them (a range's ends and the data's extremes): each
// label's text crosses the next lines, so a label not on a box has a line through it.
const CLOSE_LINES: MarkersOptions = {
  lines: [
    { x: 1, color: "#1d4ed8", label: "min-max low" },
    { x: 1.5, color: "#b45309", label: "percentile low" },
    { x: 2, color: "#15803d", label: "MSE low" },
    { x: 8, color: "#1d4ed8", label: "min-max high" },
    { x: 8.25, color: "#b45309", label: "percentile high" },
  ],
};

describe("markersPlugin", () => {
  it("draws one vertical line per marker, from the top to the bottom of the chart area", () => {
    const strokes = draw(CLOSE_LINES).filter((o) => o.kind === "stroke");
    expect(strokes.map((s) => (s.kind === "stroke" ? s.segments : []))).toEqual(
      [80, 100, 120, 360, 370].map((px) => [[px, 10, px, 210]]),
    );
  });

  it("puts every label on an opaque white box that covers its text, drawn after every line", () => {
    const ops = draw(CLOSE_LINES);
    const texts = ops.flatMap((o, i) => (o.kind === "fillText" ? [{ o, i }] : []));
    expect(texts.map(({ o }) => o.text)).toEqual(CLOSE_LINES.lines!.map((l) => l.label));
    const lastStroke = ops.map((o) => o.kind).lastIndexOf("stroke");
    for (const { o: text, i } of texts) {
      // the box under this text: the last white fill before it that covers the text's whole extent
      const box = ops
        .slice(0, i)
        .reverse()
        .find(
          (o): o is Extract<Op, { kind: "fillRect" }> =>
            o.kind === "fillRect" &&
            parseFill(o.fillStyle).white &&
            o.x <= text.x &&
            o.x + o.w >= text.x + text.text.length * CHAR_PX &&
            o.y <= text.y &&
            o.y + o.h >= text.y + FONT_PX,
        );
      expect(box, `a white box under "${text.text}"`).toBeDefined();
      expect(parseFill(box?.fillStyle ?? "").alpha).toBeGreaterThanOrEqual(0.8);
      // no line is stroked after the box, so none crosses the label
      expect(ops.indexOf(box as Op), `"${text.text}"'s box drawn after the last line`).toBeGreaterThan(
        lastStroke,
      );
      // the text keeps its line's colour
      const line = CLOSE_LINES.lines!.find((l) => l.label === text.text)!;
      expect(text.fillStyle).toBe(line.color);
    }
  });

  it("keeps labels inside the chart area and staggers close ones over labelRows rows", () => {
    const ops = draw({ ...CLOSE_LINES, labelRows: 2 });
    const texts = ops.flatMap((o) => (o.kind === "fillText" ? [o] : []));
    expect(texts.map((t) => t.y)).toEqual([14, 27, 14, 27, 14]);
    for (const t of texts) {
      expect(t.x).toBeGreaterThanOrEqual(40);
      expect(t.x + t.text.length * CHAR_PX).toBeLessThanOrEqual(440);
    }
  });

  it("draws neither lines nor labels for markers outside the x range", () => {
    expect(draw({ lines: [{ x: -5, color: "#000", label: "left of the chart" }] })).toEqual([]);
  });
});
