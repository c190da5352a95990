/**
 * Section 5: choosing the range. Min-max, percentile, MSE, entropy and cross-entropy (and PyTorch's
 * histogram observer) on the same tensor, computed by @quantkit/calibrators in the worker: each chosen
 * range drawn on the histogram, and the error table.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Scheme } from "../lib/deckQuantize";
import { type DistributionKind, deckTensor } from "../lib/distributions";
import { formatF32, formatMs, formatOrdinal, formatSig } from "../lib/format";
import { extent, histogram } from "../lib/histogram";
import { RANGE_METHODS } from "../lib/rangeExperiment";
import { rangeVerdict } from "../lib/rangeVerdict";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView, type MarkerLine } from "../ui/chart";
import { BitsSlider, Controls, Segmented, Select } from "../ui/controls";
import { DistributionSelect } from "../ui/DistributionSelect";
import { countAxis, histogramDataset, histogramPoints } from "../ui/histogramChart";
import { DataTable, DeckQuote, ErrorBox, Figure, Note, Panel, SectionFrame } from "../ui/layout";
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";

const PERCENTILES = [99, 99.9, 99.99, 99.999] as const;

/** A strategy's name as the deck gives it (the method's id when it has none). */
const _methodLabel = (method: string) => RANGE_METHODS.find((m) => m.method === method)?.label ?? method;

export default function Range(props: { info: SectionInfo }): JSX.Element {
  const [kind, setKind] = useState<DistributionKind>("outlier");
  const [bits, setBits] = useState(8);
  const [scheme, setScheme] = useState<Scheme>("asymmetric");
  const [percentile, setPercentile] = useState<number>(99.99);
  const [view, setView] = useState<"all" | "bulk">("all");
  const job = useJob("compareRanges");

  useEffect(() => {
    const t = setTimeout(() => job.run({ kind, bits, scheme, percentile }), 120);
    return () => clearTimeout(t);
  }, [kind, bits, scheme, percentile]);

  const data = useMemo(() => deckTensor(kind), [kind]);
  const rows = job.result?.rows;
  const colorOf = (i: number) => palette.series[i % palette.series.length]!;

  const xRange = useMemo(() => {
    const [lo, hi] = extent(data.x);
    const bulkHi = kind === "outlier" ? 160 : hi;
    const xMax = view === "bulk" ? bulkHi : hi;
    const xMin = scheme === "symmetric" && rows ? Math.min(lo, ...rows.map((r) => r.minVal)) : lo;
    const pad = (xMax - xMin) * 0.02;
    return { lo, hi, min: xMin - pad, max: xMax + pad };
  }, [data, rows, view, kind, scheme]);

  const rangeChart = useMemo<ChartConfiguration | null>(() => {
    if (!rows) return null;
    return {
      type: "bar",
      data: {
        labels: rows.map((r) => _methodLabel(r.method)),
        datasets: [
          {
            label: "chosen range [β, α]",
            data: rows.map((r) => [r.minVal, r.maxVal] as [number, number]),
            backgroundColor: rows.map((_, i) => colorOf(i)),
            barPercentage: 0.7,
            borderSkipped: false,
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (c) => {
                const v = c.raw as [number, number];
                return `[${formatSig(v[0], 4)}, ${formatSig(v[1], 4)}]`;
              },
            },
          },
        },
        scales: {
          x: { type: "linear", min: xRange.min, max: xRange.max, title: axisTitle("value x") },
          y: { title: axisTitle("strategy") },
        },
      },
    };
  }, [rows, xRange]);

  const histChart = useMemo<ChartConfiguration>(() => {
    const { lo, hi } = xRange;
    const hist = histogram(data.x, 200, lo, hi);
    const logY = kind === "outlier";
    const pts = histogramPoints(hist, logY);
    const lines: MarkerLine[] = [];
    rows?.forEach((r, i) => {
      const color = colorOf(i);
      const label = _methodLabel(r.method);
      lines.push({ x: r.maxVal, color, width: 2, label: `${label} α`, dash: i % 2 ? [5, 3] : [] });
      lines.push({ x: r.minVal, color, width: 2, dash: i % 2 ? [5, 3] : [] });
    });
    return {
      type: "line",
      data: {
        datasets: [
          histogramDataset("values", pts, {
            line: palette.muted,
            fill: "rgba(91, 100, 120, 0.15)",
            width: 1,
          }),
        ],
      },
      options: {
        parsing: false,
        plugins: {
          legend: { display: false },
          tooltip: { enabled: false },
          markers: { lines, labelRows: 6 },
        },
        scales: {
          x: { type: "linear", min: xRange.min, max: xRange.max, title: axisTitle("value x") },
          y: countAxis(logY),
        },
      },
    };
  }, [data, rows, xRange, kind]);

  const errChart = useMemo<ChartConfiguration | null>(() => {
    if (!rows) return null;
    const hasOutlier = data.outliers.length > 0;
    return {
      type: "bar",
      data: {
        labels: rows.map((r) => _methodLabel(r.method)),
        datasets: [
          {
            label: hasOutlier ? "MSE without the outlier" : "MSE",
            data: rows.map((r) => r.mseInliers),
            backgroundColor: rows.map((_, i) => colorOf(i)),
          },
          ...(hasOutlier
            ? [
                {
                  label: "MSE over everything",
                  data: rows.map((r) => r.mseAll),
                  backgroundColor: "rgba(29, 36, 51, 0.18)",
                  borderColor: palette.ink,
                  borderWidth: 1,
                },
              ]
            : []),
        ],
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { title: axisTitle("range strategy") },
          y: { type: "logarithmic", title: axisTitle("MSE (log scale)") },
        },
      },
    };
  }, [rows, data]);

  const best = rows ? rows.reduce((b, r, i) => (r.mseInliers < rows[b]!.mseInliers ? i : b), 0) : undefined;
  const hasOutlier = data.outliers.length > 0;

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "How do we choose the range [β, α]? Any value outside it is clipped to it. Min-max covers every value but is sensitive to outliers: one large value stretches the scale, and everything else is quantized coarsely. Percentile sets the range to percentiles of the distribution instead: only the outlier is quantized with a large error.",
        ),
        h(
          "p",
          null,
          "Mean-squared-error picks the range that minimizes the MSE between the original and quantized values, by grid search; cross-entropy is for values that are not equally important, such as the logits of a softmax, where the order of the largest values must survive.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "Every strategy on the same data",
        sub: "The deck's notebook: 10,000 values uniform in [−50, 150] plus one outlier at 1000, 8-bit asymmetric. Change the data or the bits; the calibration runs in the worker.",
      },
      h(
        Controls,
        null,
        h(DistributionSelect, { id: "r-dist", value: kind, onChange: setKind }),
        h(BitsSlider, { id: "r-bits", label: "Bits", value: bits, onInput: setBits }),
        h(Segmented<Scheme>, {
          id: "r-scheme",
          label: "Scheme",
          value: scheme,
          options: [
            { value: "asymmetric", label: "asymmetric" },
            { value: "symmetric", label: "symmetric" },
          ],
          onChange: setScheme,
        }),
        h(Select<number>, {
          id: "r-percentile",
          label: "Percentile",
          value: percentile,
          options: PERCENTILES.map((p) => ({
            value: p,
            label: `${formatOrdinal(p)} / ${formatOrdinal(Number((100 - p).toFixed(3)))}`,
          })),
          onChange: setPercentile,
        }),
        hasOutlier
          ? h(Segmented<string>, {
              id: "r-view",
              label: "x axis",
              value: view,
              options: [
                { value: "all", label: "whole range" },
                { value: "bulk", label: "zoom on the bulk" },
              ],
              onChange: (v) => setView(v as "all" | "bulk"),
            })
          : null,
      ),
      h(ErrorBox, { error: job.error }),
      h(
        Figure,
        {
          caption: [
            "Each colour is one strategy's chosen range: its α (labelled) and β, as in the bars below. ",
            hasOutlier ? "Log scale: the outlier is the lone bar at 1000. " : "",
            job.running
              ? "Calibrating…"
              : job.ms !== undefined
                ? `Calibrated in ${formatMs(job.ms)} (worker round trip).`
                : "",
          ],
        },
        h(ChartView, {
          id: "r-hist",
          label: "histogram with each strategy's range",
          config: histChart,
          height: 300,
        }),
      ),
      rangeChart
        ? h(
            Figure,
            { caption: "The same ranges as bars on the same axis: where each strategy puts β and α." },
            h(ChartView, { id: "r-ranges", label: "each strategy's range", config: rangeChart, height: 210 }),
          )
        : null,
    ),
    h(
      Panel,
      {
        title: "The error of each range",
        sub: hasOutlier
          ? "MSE of fake quantization over the 10,000 ordinary values (the deck's measure) and over everything, the outlier included."
          : "MSE of fake quantization over all values.",
      },
      rows
        ? h(
            "div",
            null,
            h(DataTable, {
              id: "r-table",
              compact: true,
              highlight: best,
              head: [
                "strategy",
                "range [β, α]",
                "scale",
                "zero",
                hasOutlier ? "MSE w/o outlier" : "MSE",
                ...(hasOutlier ? ["MSE all"] : []),
                "SQNR (dB)",
                "time",
              ],
              numeric: [false, true, true, true, true, true, true, true],
              rows: rows.map((r) => [
                h("span", { "data-testid": `r-row-${r.method}` }, _methodLabel(r.method)),
                `[${formatSig(r.minVal, 4)}, ${formatSig(r.maxVal, 4)}]`,
                formatF32(r.scale),
                String(r.zeroPoint),
                h("span", { "data-testid": `r-mse-${r.method}` }, formatSig(r.mseInliers, 3)),
                ...(hasOutlier ? [formatSig(r.mseAll, 3)] : []),
                formatSig(r.sqnrInliersDb, 3),
                formatMs(r.ms),
              ]),
            }),
            errChart
              ? h(
                  Figure,
                  {
                    caption:
                      "Lower is better. The green row of the table is the smallest error on the ordinary values.",
                  },
                  h(ChartView, {
                    id: "r-err",
                    label: "MSE of each range strategy",
                    config: errChart,
                    height: 240,
                  }),
                )
              : null,
          )
        : h(Note, null, "Calibrating…"),
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "Min-Max: to cover the whole range of values, we can set α = max(V), β = min(V). Sensitive to outliers.",
        ),
        h(
          "p",
          null,
          "Percentile: set the range to the percentile of the distribution of V, to reduce sensitivity to outliers. Only the outlier is quantized with a large error.",
        ),
      ),
      h(
        Note,
        null,
        "The MSE strategy minimizes the error over all values, the outlier included; entropy (TensorRT's KL calibration) and percentile look at the distribution's shape. Try the normal distribution at 4 bits. ",
        rows ? h("span", { "data-testid": "r-verdict" }, rangeVerdict(rows, hasOutlier)) : null,
      ),
    ),
  );
}
