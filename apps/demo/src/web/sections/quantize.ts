/**
 * Section 4: quantize a tensor. The deck's from-scratch example (20 values, asymmetric and symmetric,
 * formulas with the numbers filled in), then a 10,000-value tensor of a chosen distribution with the
 * quantization grid drawn over its histogram, the integer codes it uses, and the error. Quantization is
 * @quantkit/quantizers' (quantize, dequantize, mse, sqnr).
 */

import { fakeQuantize } from "@quantkit/quantizers";
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { gridValues, quantizeReport, type Scheme } from "../lib/deckQuantize";
import {
  DECK_TENSOR_SIZE,
  DISTRIBUTIONS,
  type DistributionKind,
  deckTensor,
  deckVector,
} from "../lib/distributions";
import { formatF32, formatInt, formatSig } from "../lib/format";
import { histogram, histogramSteps } from "../lib/histogram";
import { parseValues } from "../lib/parseValues";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, NumberField, Segmented, Select, Slider } from "../ui/controls";
import {
  Columns,
  DataTable,
  DeckQuote,
  Figure,
  Formula,
  Panel,
  SectionFrame,
  Stat,
  Stats,
} from "../ui/layout";
import { palette } from "../ui/palette";

const DEFAULT_VALUES = [...deckVector()].map(formatF32).join(", ");

function SchemeFormula(props: {
  scheme: Scheme;
  bits: number;
  min: number;
  max: number;
  scale: number;
  zeroPoint: number;
}): JSX.Element {
  const { scheme, bits, min, max, scale, zeroPoint } = props;
  const s = formatF32(scale);
  if (scheme === "asymmetric") {
    const levels = 2 ** bits - 1;
    const ratio = Math.fround(min / scale);
    return h(
      Formula,
      { id: "q-formula" },
      `β = min(x) = ${formatF32(min)}    α = max(x) = ${formatF32(max)}\n`,
      `scale = (α − β) / (2^${bits} − 1) = (${formatF32(max)} − (${formatF32(min)})) / ${levels} = ${s}\n`,
      `zero  = −round(β / scale) = −round(${formatSig(ratio, 6)}) = ${zeroPoint}\n`,
      `q = clamp(round(x / scale) + ${zeroPoint}, 0, ${levels})    x̂ = scale · (q − ${zeroPoint})`,
    );
  }
  const top = 2 ** (bits - 1) - 1;
  const absMax = Math.max(Math.abs(min), Math.abs(max));
  return h(
    Formula,
    { id: "q-formula" },
    `α = max|x| = ${formatF32(absMax)}\n`,
    `scale = α / (2^${bits - 1} − 1) = ${formatF32(absMax)} / ${top} = ${s}    zero = 0\n`,
    `q = clamp(round(x / scale), −${top}, ${top})    x̂ = scale · q`,
  );
}

export default function Quantize(props: { info: SectionInfo }): JSX.Element {
  const [bits, setBits] = useState(8);
  const [scheme, setScheme] = useState<Scheme>("asymmetric");
  const [valuesText, setValuesText] = useState(DEFAULT_VALUES);
  const [kind, setKind] = useState<DistributionKind>("uniform");

  const parsed = parseValues(valuesText);
  const small = useMemo(
    () => (parsed.ok ? quantizeReport(parsed.values, bits, scheme) : undefined),
    [valuesText, bits, scheme],
  );

  const stairs = useMemo<ChartConfiguration>(() => {
    if (!small || !parsed.ok) return { type: "line", data: { datasets: [] } };
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
            data: [...parsed.values].map((x, i) => ({ x, y: small.dequantized[i]! })),
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
  }, [small]);

  const tensor = useMemo(() => deckTensor(kind).x, [kind]);
  const report = useMemo(() => quantizeReport(tensor, bits, scheme), [tensor, bits, scheme]);

  const histChart = useMemo<ChartConfiguration>(() => {
    const lo = Math.min(report.min, scheme === "symmetric" ? -Math.max(-report.min, report.max) : report.min);
    const hi = Math.max(report.max, scheme === "symmetric" ? Math.max(-report.min, report.max) : report.max);
    const pad = (hi - lo) * 0.03;
    const hist = histogram(tensor, 160, report.min, report.max);
    const logY = kind === "outlier";
    const pts = histogramSteps(hist).map((p) => ({ x: p.x, y: logY ? Math.max(p.y, 0.7) : p.y }));
    const grid = gridValues(report.qparams);
    const qlo = grid[0]!;
    const qhi = grid[grid.length - 1]!;
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: "values of the tensor",
            data: pts,
            stepped: "after",
            borderColor: palette.accent,
            backgroundColor: palette.accentSoft,
            fill: "origin",
            pointRadius: 0,
            borderWidth: 1.5,
          },
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
          y: logY
            ? { type: "logarithmic", min: 0.7, title: axisTitle("count per bin (log scale)") }
            : { type: "linear", beginAtZero: true, title: axisTitle("count per bin") },
        },
      },
    };
  }, [report, tensor, kind, bits, scheme]);

  const codeChart = useMemo<ChartConfiguration>(() => {
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
  }, [report]);

  const info = DISTRIBUTIONS.find((d) => d.kind === kind)!;

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Asymmetric quantization maps the floating-point numbers in a range [β, α] onto the integers [0, 2ⁿ − 1]: with 8 bits, [0, 255]. Symmetric quantization maps [−α, α] onto [−(2ⁿ⁻¹ − 1), 2ⁿ⁻¹ − 1]: with 8 bits, [−127, 127], and 0 stays exactly 0.",
        ),
        h(
          "p",
          null,
          "Each integer stands for one real value, scale · (q − zero): together they form a grid, and quantizing moves every value to its nearest grid point. Fewer bits, coarser grid, larger error.",
        ),
      ],
    },
    h(
      Panel,
      { title: "Bits and scheme", sub: "Both panels below follow these two controls." },
      h(
        Controls,
        null,
        h(Slider, {
          id: "q-bits",
          label: "Bits n",
          min: 2,
          max: 8,
          value: bits,
          onInput: setBits,
          format: (b) => `${b} bits`,
        }),
        h(Segmented<Scheme>, {
          id: "q-scheme",
          label: "Scheme",
          value: scheme,
          options: [
            { value: "asymmetric", label: "Asymmetric [β, α] → [0, 2ⁿ−1]" },
            { value: "symmetric", label: "Symmetric [−α, α] → [−(2ⁿ⁻¹−1), 2ⁿ⁻¹−1]" },
          ],
          onChange: setScheme,
        }),
      ),
    ),
    h(
      Panel,
      {
        title: "Quantization from scratch",
        sub: "The deck's notebook: 20 numbers in [−50, 150]. Edit them to see each step recomputed.",
      },
      h(
        Controls,
        null,
        h(NumberField, {
          id: "q-values",
          label: "Values x",
          value: valuesText,
          grow: true,
          invalid: parsed.ok ? undefined : parsed.error,
          onChange: (_v, t) => setValuesText(t),
        }),
      ),
      small && parsed.ok
        ? h(
            "div",
            null,
            h(SchemeFormula, {
              scheme,
              bits,
              min: small.min,
              max: small.max,
              scale: small.scale,
              zeroPoint: small.zeroPoint,
            }),
            h(
              Columns,
              { ratio: "1-1" },
              h(
                "div",
                null,
                h(
                  Stats,
                  null,
                  h(Stat, { id: "q-small-scale", label: "scale", value: formatF32(small.scale) }),
                  h(Stat, { id: "q-small-zero", label: "zero point", value: String(small.zeroPoint) }),
                  h(Stat, { id: "q-small-mse", label: "MSE", value: formatSig(small.mse, 4) }),
                ),
                h(
                  Figure,
                  {
                    caption:
                      "The quantize → dequantize map is a staircase: every x on a step comes back as the same x̂. The dots are your values.",
                  },
                  h(ChartView, {
                    id: "q-stairs",
                    label: "dequantized value against the input",
                    config: stairs,
                    height: 300,
                  }),
                ),
              ),
              h(DataTable, {
                id: "q-small-table",
                compact: true,
                head: ["x", "q", "x̂ (dequantized)", "x − x̂"],
                numeric: [true, true, true, true],
                rows: [...parsed.values].map((x, i) => {
                  const q = small.codes[i]!;
                  const xh = small.dequantized[i]!;
                  return [formatF32(x), String(q), formatF32(xh), formatSig(x - xh, 3)];
                }),
              }),
            ),
          )
        : null,
    ),
    h(
      Panel,
      {
        title: "A whole tensor",
        sub: `${formatInt(DECK_TENSOR_SIZE)} values${kind === "outlier" ? " and the outlier" : ""}; the orange lines are the real values the ${2 ** bits - (scheme === "symmetric" ? 1 : 0)} codes stand for.`,
      },
      h(
        Controls,
        null,
        h(Select<DistributionKind>, {
          id: "q-dist",
          label: "Distribution",
          value: kind,
          options: DISTRIBUTIONS.map((d) => ({ value: d.kind, label: d.label, title: d.description })),
          onChange: setKind,
        }),
      ),
      h(
        Stats,
        null,
        h(Stat, { id: "q-scale", label: "scale", value: formatF32(report.scale) }),
        h(Stat, { id: "q-zero", label: "zero point", value: String(report.zeroPoint) }),
        h(Stat, { id: "q-mse", label: "MSE", value: formatSig(report.mse, 3) }),
        h(Stat, { id: "q-sqnr", label: "SQNR", value: formatSig(report.sqnr, 3), unit: "dB" }),
        h(Stat, { id: "q-maxerr", label: "max |x − x̂|", value: formatSig(report.maxAbsError, 3) }),
        h(Stat, {
          id: "q-used",
          label: "codes used",
          value: `${report.codesUsed} / ${report.codeCounts.length}`,
          tone: report.codesUsed < report.codeCounts.length / 4 ? "bad" : undefined,
        }),
      ),
      h(
        Columns,
        { ratio: "2-1" },
        h(
          Figure,
          {
            caption: `${info.label}: ${info.description}. ${kind === "outlier" ? "Log scale: the single outlier at 1000 is the lone bar on the right, and it stretches the grid over the empty space." : ""}`,
          },
          h(ChartView, {
            id: "q-hist",
            label: "histogram of the tensor with the quantization grid",
            config: histChart,
            height: 280,
          }),
        ),
        h(
          Figure,
          { caption: "How many values land on each integer code." },
          h(ChartView, {
            id: "q-codes",
            label: "histogram of the integer codes",
            config: codeChart,
            height: 280,
          }),
        ),
      ),
      h(
        "p",
        { class: "panel-sub" },
        "We choose a range, map it affinely onto the integers, and keep the scale (and the zero point) to map back: rounding happens on the integer grid, not on the original numbers.",
      ),
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "Please note: quantization doesn't mean truncating/rounding. We don't just round up or down all the floating-point numbers!",
        ),
      ),
    ),
  );
}
