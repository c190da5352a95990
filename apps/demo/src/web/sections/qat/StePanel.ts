/**
 * Section 9's second panel: the straight-through estimator, a fake quantizer's staircase and its
 * gradient mask drawn from quantkit's fakeQuantizeWithMask, with the deck's words beside it.
 */
import { h, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { formatSig } from "../../lib/format";
import { steFigure } from "../../lib/steFigure";
import { ChartView } from "../../ui/chart";
import { Columns, DeckQuote, Figure, Panel } from "../../ui/layout";
import { steChart } from "./charts";

export function StePanel(): JSX.Element {
  const steData = useMemo(() => steFigure(), []);
  const ste = useMemo(() => steChart(steData), [steData]);
  return h(
    Panel,
    {
      title: "The gradient: straight-through estimator",
      sub: "What is the derivative of rounding? Zero almost everywhere, which would stop training. The STE passes the gradient through unchanged inside the range and blocks it outside.",
    },
    h(
      Columns,
      { ratio: "2-1" },
      h(
        Figure,
        {
          caption: h(
            "span",
            { "data-testid": "q9-ste-caption" },
            `A 3-bit symmetric fake quantizer (quantkit's fakeQuantizeWithMask), scale ${formatSig(steData.scale, 3)}, ${steData.levels} levels: its output spans [${formatSig(steData.outputMin, 3)}, ${formatSig(steData.outputMax, 3)}]. The STE's gradient mask is 1 on [${formatSig(steData.maskFrom, 3)}, ${formatSig(steData.maskTo, 3)}], where x still rounds onto a level (half a step past the last one), and 0 beyond.`,
          ),
        },
        h(ChartView, {
          id: "q9-ste",
          label: "fake quantization and its STE gradient",
          config: ste,
          height: 250,
        }),
      ),
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "During backpropagation, the model needs to evaluate the gradient of the loss function w.r.t every weight and input. A problem arises: what is the derivative of the quantization operation?",
        ),
        h(
          "p",
          null,
          "The STE approximation results in 1 if the value being quantized is in the range [α, β], otherwise it is 0.",
        ),
      ),
    ),
  );
}
