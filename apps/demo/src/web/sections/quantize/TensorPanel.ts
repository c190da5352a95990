/**
 * Section 4's whole tensor: 10,000 values of a chosen distribution quantized at the section's bits
 * and scheme, with the error figures, the histogram under the grid and the codes used.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { quantizeReport, type Scheme } from "../../lib/deckQuantize";
import { DECK_TENSOR_SIZE, DISTRIBUTIONS, type DistributionKind, deckTensor } from "../../lib/distributions";
import { formatF32, formatInt, formatSig } from "../../lib/format";
import { ChartView } from "../../ui/chart";
import { Controls } from "../../ui/controls";
import { DistributionSelect } from "../../ui/DistributionSelect";
import { Columns, DeckQuote, Figure, Panel, Stat, Stats } from "../../ui/layout";
import { codeChart, tensorHistogramChart } from "./charts";

export function TensorPanel(props: { bits: number; scheme: Scheme }): JSX.Element {
  const { bits, scheme } = props;
  const [kind, setKind] = useState<DistributionKind>("uniform");
  const tensor = useMemo(() => deckTensor(kind).x, [kind]);
  const report = useMemo(() => quantizeReport(tensor, bits, scheme), [tensor, bits, scheme]);
  const histChart = useMemo<ChartConfiguration>(
    () => tensorHistogramChart(report, tensor, kind === "outlier", bits, scheme),
    [report, tensor, kind, bits, scheme],
  );
  const codes = useMemo<ChartConfiguration>(() => codeChart(report), [report]);
  const info = DISTRIBUTIONS.find((d) => d.kind === kind)!;

  return h(
    Panel,
    {
      title: "A whole tensor",
      sub: `${formatInt(DECK_TENSOR_SIZE)} values${kind === "outlier" ? " and the outlier" : ""}; the orange lines are the real values the ${2 ** bits - (scheme === "symmetric" ? 1 : 0)} codes stand for.`,
    },
    h(Controls, null, h(DistributionSelect, { id: "q-dist", value: kind, onChange: setKind })),
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
          config: codes,
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
  );
}
