/**
 * Section 4's worked example: the deck's 20 numbers (editable), the formulas with their values, the
 * staircase, and each value's code and error.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import { quantizeReport, type Scheme } from "../../lib/deckQuantize";
import { deckVector } from "../../lib/distributions";
import { formatF32, formatSig } from "../../lib/format";
import { parseValues } from "../../lib/parseValues";
import { ChartView } from "../../ui/chart";
import { Controls, NumberField } from "../../ui/controls";
import { Columns, DataTable, Figure, Panel, Stat, Stats } from "../../ui/layout";
import { stairsChart } from "./charts";
import { SchemeFormula } from "./SchemeFormula";

const _DEFAULT_VALUES = [...deckVector()].map(formatF32).join(", ");

export function FromScratchPanel(props: { bits: number; scheme: Scheme }): JSX.Element {
  const { bits, scheme } = props;
  const [valuesText, setValuesText] = useState(_DEFAULT_VALUES);

  const parsed = parseValues(valuesText);
  const small = useMemo(
    () => (parsed.ok ? quantizeReport(parsed.values, bits, scheme) : undefined),
    [valuesText, bits, scheme],
  );

  const stairs = useMemo<ChartConfiguration>(
    () => (small && parsed.ok ? stairsChart(small, parsed.values) : { type: "line", data: { datasets: [] } }),
    [small],
  );

  return h(
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
  );
}
