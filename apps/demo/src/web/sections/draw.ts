/**
 * Section 10: draw a digit. The float model, the PTQ int8 model and the QAT int4 model classify it
 * side by side, in the worker, as you draw.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { toMnistImage } from "../lib/digitImage";
import { formatPercent } from "../lib/format";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, RunButton } from "../ui/controls";
import { useCurrentModel } from "../ui/currentModel";
import { DrawPad, type DrawPadHandle, PixelView } from "../ui/drawPad";
import { ErrorBox, Figure, Note, Panel, ProgressBar, SectionFrame, StaleNote } from "../ui/layout";
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";
import type { ModelPrediction } from "../worker/digits";

const COLORS: Record<ModelPrediction["id"], string> = {
  fp32: palette.ink,
  ptq8: palette.accent,
  qat4: palette.accent2,
};

function PredictionCard(props: { m: ModelPrediction; drawn: boolean }): JSX.Element {
  const { m, drawn } = props;
  const confidence = m.probs && m.predicted !== null ? m.probs[m.predicted]! : null;
  return h(
    "div",
    { class: "prediction", style: { borderTopColor: COLORS[m.id] }, "data-testid": `d-card-${m.id}` },
    h("span", { class: "prediction-model" }, m.label),
    h(
      "span",
      { class: "prediction-digit", "data-testid": `d-pred-${m.id}` },
      m.available && drawn && m.predicted !== null ? String(m.predicted) : "–",
    ),
    h(
      "span",
      { class: "prediction-conf" },
      !m.available
        ? "not made yet"
        : drawn && confidence !== null
          ? `${formatPercent(confidence)} sure`
          : "draw a digit",
    ),
    h(
      "span",
      { class: "prediction-acc" },
      m.accuracy !== null ? `test accuracy ${formatPercent(m.accuracy)}` : "",
    ),
    m.stale
      ? h(
          "span",
          { class: "prediction-stale", "data-testid": `d-stale-${m.id}` },
          `made from float model #${m.madeFrom}, not the current one`,
        )
      : null,
  );
}

export default function Draw(props: { info: SectionInfo }): JSX.Element {
  const pad = useRef<DrawPadHandle | null>(null);
  const [image, setImage] = useState<Float32Array | null>(null);
  const [drawn, setDrawn] = useState(false);
  const [label, setLabel] = useState<number | null>(null);
  const nextDigit = useRef(0);
  const classify = useJob("classify");
  const prepare = useJob("prepareModels");
  const digit = useJob("testDigit");
  const current = useCurrentModel();

  // Again whenever the float model changes (another section retrained it): the cards must show the
  // models the worker holds now.
  useEffect(() => {
    classify.run({ image: image ?? new Float32Array(784) });
  }, [current?.version]);

  const onInk = (ink: Float32Array, w: number, hgt: number) => {
    const img = toMnistImage(ink, w, hgt);
    const any = img.some((v) => v > 0);
    setImage(img);
    setDrawn(any);
    classify.run({ image: img });
  };

  const models =
    prepare.result?.models && !classify.result ? prepare.result.models : (classify.result?.models ?? []);
  const missing = models.some((m) => !m.available);
  const stale = models.filter((m) => m.stale);
  const remake = async () => {
    await prepare.run({ trainSize: 2000 });
    classify.run({ image: image ?? new Float32Array(784) });
  };

  const chart = useMemo<ChartConfiguration | null>(() => {
    if (!drawn || models.length === 0) return null;
    return {
      type: "bar",
      data: {
        labels: Array.from({ length: 10 }, (_, d) => String(d)),
        datasets: models
          .filter((m) => m.probs)
          .map((m) => ({
            label: m.label,
            data: m.probs!.map((p) => p * 100),
            backgroundColor: COLORS[m.id],
          })),
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { title: axisTitle("digit") },
          y: { min: 0, max: 100, title: axisTitle("probability", "%") },
        },
      },
    };
  }, [models, drawn]);

  const tryDigit = async () => {
    const idx = nextDigit.current;
    // The test set is ordered by digit (about 200 of each): a stride of 211 visits every digit in turn.
    nextDigit.current = (idx + 211) % 2004;
    const d = await digit.run({ index: idx });
    if (d) {
      setLabel(d.label);
      pad.current?.show(d.image);
    }
  };

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Three versions of the same network read your digit: the float32 model, its int8 conversion by post-training quantization, and an int4 model trained with fake quantization. The integer models run integer-only kernels: uint8 activations, int8/int4 weights, int32 accumulators.",
        ),
        h(
          "p",
          null,
          "Draw a digit from 0 to 9 in the box, as large as the box. The image is scaled to 28 × 28 pixels and centred, the way MNIST's digits were.",
        ),
      ],
    },
    h(
      Panel,
      { title: "Draw here" },
      stale.length > 0 && !missing
        ? h(
            StaleNote,
            { id: "d-stale", running: prepare.running, onRerun: remake, rerunLabel: "Make them again" },
            `${stale.map((m) => m.label).join(" and ")} ${stale.length > 1 ? "were" : "was"} made from an earlier float model; the float model is now #${classify.result?.fp32Version}.`,
          )
        : null,
      prepare.stopped && !prepare.running
        ? h(Note, { tone: "warn", id: "d-stopped" }, "Stopped: the models already made are kept.")
        : null,
      missing
        ? h(
            "div",
            null,
            h(
              Note,
              { tone: "warn" },
              "Some of the models are not made yet (sections 8 and 9 make them). Make the missing ones here: the float model on 2,000 digits, PTQ to int8, QAT to int4.",
            ),
            h(
              Controls,
              null,
              h(RunButton, {
                id: "d-prepare",
                label: "Make the three models",
                running: prepare.running,
                onClick: remake,
                onCancel: prepare.cancel,
              }),
            ),
          )
        : null,
      prepare.running && prepare.progress
        ? h(ProgressBar, {
            id: "d-progress",
            value: prepare.progress.fraction,
            label: prepare.progress.stage,
          })
        : null,
      h(ErrorBox, { error: prepare.error }),
      h(
        "div",
        { class: "draw-layout" },
        h(
          "div",
          { class: "draw-pad-col" },
          h(DrawPad, { id: "d-pad", onInk, handle: pad }),
          h(
            "div",
            { class: "draw-buttons" },
            h(
              "button",
              {
                type: "button",
                class: "ghost",
                "data-testid": "d-clear",
                onClick: () => {
                  setLabel(null);
                  pad.current?.clear();
                },
              },
              "Clear",
            ),
            h(
              "button",
              { type: "button", class: "ghost", "data-testid": "d-test-digit", onClick: tryDigit },
              "Try a test digit",
            ),
          ),
          label !== null
            ? h("p", { class: "panel-sub", "data-testid": "d-label" }, `Test digit, labelled ${label}`)
            : null,
        ),
        h(
          "div",
          { class: "draw-results" },
          h(
            "div",
            { class: "predictions" },
            models.map((m) => h(PredictionCard, { m, drawn })),
          ),
          h(ErrorBox, { error: classify.error }),
          h(
            "div",
            { class: "draw-preview" },
            h(PixelView, { image, id: "d-preview", size: 112 }),
            h(
              "p",
              { class: "panel-sub" },
              "What the models see: your drawing cropped, scaled into a 20 × 20 box and centred by its centre of mass in 28 × 28 pixels, then normalized with MNIST's mean and standard deviation.",
            ),
          ),
        ),
      ),
      chart
        ? h(
            Figure,
            {
              caption:
                "Each model's confidence in every digit. Quantized models usually agree with the float one; at 4 bits, confidences move.",
            },
            h(ChartView, {
              id: "d-chart",
              label: "class probabilities of the three models",
              config: chart,
              height: 230,
            }),
          )
        : null,
    ),
  );
}
