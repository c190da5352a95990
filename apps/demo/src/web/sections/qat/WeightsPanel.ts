/**
 * Section 9's last panel, the deck's "why it works": a layer's weights before and after QAT, with
 * the grid of the QAT model's weight quantizer.
 */
import { h, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { formatF32 } from "../../lib/format";
import { ChartView } from "../../ui/chart";
import { Controls, Segmented } from "../../ui/controls";
import { DeckQuote, ErrorBox, Figure, Note, Panel } from "../../ui/layout";
import type { JobState } from "../../ui/useJob";
import { weightChart } from "./charts";

export function WeightsPanel(props: {
  weights: JobState<"qatWeights">;
  layer: "fc1" | "fc2";
  onLayer: (layer: "fc1" | "fc2") => void;
}): JSX.Element {
  const { weights, layer } = props;
  const w = weights.result;
  const chart = useMemo(() => (w ? weightChart(w) : null), [w]);
  return h(
    Panel,
    {
      title: "Why it works",
      sub: "QAT moves the weights to where quantization hurts the loss least. Compare a layer's weights before (the float model) and after QAT, with the grid of the QAT model's weight quantizer.",
    },
    h(
      Controls,
      null,
      h(Segmented<string>, {
        id: "q9-layer",
        label: "Layer",
        value: layer,
        options: [
          { value: "fc1", label: "fc1" },
          { value: "fc2", label: "fc2" },
        ],
        onChange: (v) => props.onLayer(v as "fc1" | "fc2"),
      }),
    ),
    h(ErrorBox, { error: weights.error }),
    w && chart
      ? h(
          "div",
          null,
          h(
            Figure,
            {
              caption: `Vertical lines: the ${w.quantMax - w.quantMin + 1} values a ${w.bits}-bit weight can take after QAT (scale ${formatF32(w.qatScale)}); before, PTQ's scale would be ${formatF32(w.fp32Scale)}.`,
            },
            h(ChartView, {
              id: "q9-weights",
              label: "weights before and after QAT",
              config: chart,
              height: 260,
            }),
          ),
        )
      : h(Note, null, "Train with QAT above to see its weights here."),
    h(
      DeckQuote,
      null,
      h(
        "p",
        null,
        "Why does QAT work? What is the effect of inserting fake quantization operations? (a) Post training quantization. (b) After quantization aware fine-tuning. — Wu et al., Integer quantization for deep learning inference: principles and empirical evaluation.",
      ),
    ),
    h(
      Note,
      null,
      "Wu et al.'s picture: after float training the weights sit in a minimum of the loss, and rounding them to the grid can knock them far up its walls if the minimum is narrow. Fine-tuning through the fake quantizers moves them to a flatter region, where the rounded weights keep a low loss.",
    ),
  );
}
