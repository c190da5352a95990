/**
 * Section 9: quantization-aware training. Train with fake quantization live (loss curve), the
 * straight-through estimator drawn, PTQ vs QAT at 8, 4 and 2 bits on one chart, and the deck's "why
 * it works": a layer's weights before and after QAT. Runs @quantkit/qat in the worker.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { formatF32, formatInt, formatMs, formatPercent, formatSig } from "../lib/format";
import { histogram, histogramSteps } from "../lib/histogram";
import { sweepVerdict } from "../lib/qatVerdict";
import { type SteFigure, steFigure } from "../lib/steFigure";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, RunButton, Segmented } from "../ui/controls";
import { describeModel, useCurrentModel } from "../ui/currentModel";
import {
  Columns,
  DataTable,
  DeckQuote,
  ErrorBox,
  Figure,
  Note,
  Panel,
  ProgressBar,
  SectionFrame,
  StaleNote,
  Stat,
  Stats,
} from "../ui/layout";
import { lossChart } from "../ui/lossChart";
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";
import type { ModelInfo } from "../worker/ptq";
import type { QatMode } from "../worker/qat";

/** A result made from float model `version` is stale when the page now holds another one. */
function isStale(version: number | null, model: ModelInfo | undefined): boolean {
  return (
    version !== null && model?.version !== null && model?.version !== undefined && version !== model.version
  );
}

/** The straight-through estimator of a 3-bit fake quantizer: forward staircase, backward mask. */
function steChart(f: SteFigure): ChartConfiguration {
  const { xs, output, mask } = f;
  return {
    type: "line",
    data: {
      datasets: [
        {
          label: "forward: fake quantize(x)",
          data: [...xs].map((x, i) => ({ x, y: output[i]! })),
          borderColor: palette.accent,
          borderWidth: 2,
          pointRadius: 0,
        },
        {
          label: `backward (STE): ∂/∂x = 1 on [${formatSig(f.maskFrom, 3)}, ${formatSig(f.maskTo, 3)}], 0 outside`,
          data: [...xs].map((x, i) => ({ x, y: mask[i]! })),
          borderColor: palette.accent2,
          borderWidth: 2,
          pointRadius: 0,
          borderDash: [6, 3],
          stepped: true,
        },
        {
          label: "the identity y = x",
          data: [
            { x: -1.6, y: -1.6 },
            { x: 1.6, y: 1.6 },
          ],
          borderColor: "rgba(29, 36, 51, 0.25)",
          borderWidth: 1,
          pointRadius: 0,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", min: -1.6, max: 1.6, title: axisTitle("x (the value being quantized)") },
        y: { type: "linear", min: -1.7, max: 1.7, title: axisTitle("output / gradient") },
      },
    },
  };
}

export default function Qat(props: { info: SectionInfo }): JSX.Element {
  const [bits, setBits] = useState(4);
  const [mode, setMode] = useState<QatMode>("finetune");
  const [epochs, setEpochs] = useState(1);
  const [trainSize, setTrainSize] = useState(2000);
  const run = useJob("qat");
  const sweep = useJob("qatSweep");
  const weights = useJob("qatWeights");
  const model = useCurrentModel();
  const [layer, setLayer] = useState<"fc1" | "fc2">("fc2");

  useEffect(() => {
    if (run.result) weights.run({ layer, bits: run.result.bits });
  }, [run.result, layer]);

  const hasFloat = model?.trained === true;
  // The live curve while training; afterwards the finished run's (never a stopped run's).
  const curve = (run.running ? run.progress?.curve : run.result?.curve) ?? [];
  const trainChart = useMemo(() => lossChart(curve, "loss with fake quantization"), [curve]);
  const steData = useMemo(() => steFigure(), []);
  const ste = useMemo(() => steChart(steData), [steData]);
  const r = run.result;
  const s = sweep.result;

  const sweepChart = useMemo<ChartConfiguration | null>(() => {
    if (!s) return null;
    return {
      type: "bar",
      data: {
        labels: s.rows.map((row) => `${row.bits} bits`),
        datasets: [
          {
            type: "line",
            label: "float32 before",
            data: s.rows.map(() => s.fp32 * 100),
            borderColor: palette.muted,
            borderDash: [2, 3],
            borderWidth: 1.5,
            pointRadius: 0,
          },
          {
            type: "line",
            label: "float32, same extra training (fair baseline)",
            data: s.rows.map(() => s.fp32SameTraining * 100),
            borderColor: palette.ink,
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
          },
          {
            label: "PTQ (min-max)",
            data: s.rows.map((row) => row.ptq * 100),
            backgroundColor: palette.accent2,
          },
          {
            label: `QAT (${s.mode === "finetune" ? "fine-tuned" : "from scratch"}, ${s.epochs} epoch${s.epochs > 1 ? "s" : ""})`,
            data: s.rows.map((row) => row.qat * 100),
            backgroundColor: palette.accent,
          },
        ],
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { title: axisTitle("bits of weights and activations") },
          y: { min: 0, max: 100, title: axisTitle("test accuracy", "%") },
        },
      },
    };
  }, [s]);

  const w = weights.result;
  const weightChart = useMemo<ChartConfiguration | null>(() => {
    if (!w) return null;
    let lo = 0;
    let hi = 0;
    for (const v of w.fp32) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (const v of w.qat) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const bins = 120;
    const a = histogramSteps(histogram(w.fp32, bins, lo, hi));
    const b = histogramSteps(histogram(w.qat, bins, lo, hi));
    const grid: number[] = [];
    for (let q = w.quantMin; q <= w.quantMax; q++) grid.push(q * w.qatScale);
    return {
      type: "line",
      data: {
        datasets: [
          {
            label: "before: the float model's weights",
            data: a,
            stepped: "after",
            borderColor: palette.accent2,
            backgroundColor: palette.accent2Soft,
            fill: "origin",
            pointRadius: 0,
            borderWidth: 1.5,
          },
          {
            label: `after QAT at ${w.bits} bits`,
            data: b,
            stepped: "after",
            borderColor: palette.accent,
            backgroundColor: "rgba(59, 91, 219, 0.10)",
            fill: "origin",
            pointRadius: 0,
            borderWidth: 1.5,
          },
        ],
      },
      options: {
        parsing: false,
        plugins: {
          legend: { position: "bottom" },
          markers: {
            grid: { xs: grid, color: "rgba(29, 36, 51, 0.35)" },
            lines: [
              {
                x: w.quantMin * w.qatScale,
                color: palette.ink,
                dash: [4, 3],
                width: 1.5,
                label: `β = ${formatSig(w.quantMin * w.qatScale, 3)}`,
              },
              {
                x: w.quantMax * w.qatScale,
                color: palette.ink,
                dash: [4, 3],
                width: 1.5,
                label: `α = ${formatSig(w.quantMax * w.qatScale, 3)}`,
              },
            ],
          },
        },
        scales: {
          x: { type: "linear", min: lo, max: hi, title: axisTitle(`${w.layer} weight value`) },
          y: { type: "linear", beginAtZero: true, title: axisTitle("count per bin") },
        },
      },
    };
  }, [w]);

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "We insert fake modules in the computational graph of the model to simulate the effect of quantization during training: a quantize followed by a dequantize, on the weights and on the activations. The loss is then computed on weights that constantly suffer from the effect of quantization, and training adapts to it. It usually leads to a more robust model.",
        ),
        h(
          "p",
          null,
          "At the end, the same convert as PTQ produces the integer model: QAT changes the weights, not the inference.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "Train with fake quantization",
        sub: "PyTorch's QAT recipe: moving-average min-max observers, fake quantizers on weights and outputs, frozen before converting.",
      },
      h(
        Controls,
        null,
        h(Segmented<number>, {
          id: "q9-bits",
          label: "Bits",
          value: bits,
          options: [8, 4, 2].map((b) => ({ value: b, label: String(b) })),
          onChange: setBits,
        }),
        h(Segmented<QatMode>, {
          id: "q9-mode",
          label: "Start from",
          value: mode,
          options: [
            { value: "finetune", label: "the float model (fine-tune)", title: "lr 1e-4" },
            { value: "scratch", label: "random weights", title: "the deck's notebook, lr 1e-3" },
          ],
          onChange: setMode,
        }),
        h(Segmented<number>, {
          id: "q9-epochs",
          label: "Epochs",
          value: epochs,
          options: [1, 2].map((e) => ({ value: e, label: String(e) })),
          onChange: setEpochs,
        }),
        h(Segmented<number>, {
          id: "q9-train-size",
          label: "Training digits",
          value: trainSize,
          options: [
            { value: 2000, label: "2,000" },
            { value: 7996, label: "all 7,996" },
          ],
          onChange: setTrainSize,
        }),
        h(RunButton, {
          id: "q9-run",
          label: "Train with QAT",
          running: run.running,
          disabled: sweep.running,
          onClick: () => run.run({ bits, mode, epochs, trainSize }),
          onCancel: run.cancel,
        }),
      ),
      mode === "finetune" && !hasFloat
        ? h(
            Note,
            { tone: "warn" },
            "Fine-tuning starts from the float model: train it in section 8 (or section 6) first, or start from random weights.",
          )
        : null,
      run.running && run.progress
        ? h(ProgressBar, {
            id: "q9-progress",
            value: run.progress.fraction,
            label: `${run.progress.stage}${run.progress.loss !== null ? ` · loss ${formatSig(run.progress.loss, 3)}` : ""}`,
          })
        : null,
      run.stopped && !run.running
        ? h(
            Note,
            { tone: "warn", id: "q9-stopped" },
            run.result
              ? "Stopped: the QAT run was cancelled. The figures below are still the previous run's."
              : "Stopped: the QAT run was cancelled before it finished; nothing was kept.",
          )
        : null,
      h(ErrorBox, { error: run.error }),
      r && isStale(r.modelVersion, model)
        ? h(
            StaleNote,
            {
              id: "q9-stale",
              running: run.running,
              onRerun: () =>
                run.run({ bits: r.bits, mode: r.mode, epochs: r.epochs, trainSize: r.trainSize }),
            },
            `this run used float model #${r.modelVersion}; the page now uses ${describeModel(model!, formatInt, formatPercent)}.`,
          )
        : null,
      h(
        Columns,
        { ratio: "1-2" },
        r
          ? h(
              Stats,
              null,
              h(Stat, {
                id: "q9-acc-int",
                label: `QAT → int${r.bits} accuracy`,
                value: formatPercent(r.accuracyInt),
                tone: "accent",
                hint: `${r.mode === "finetune" ? "fine-tuned" : "from scratch"}, lr ${formatSig(r.lr, 1)}`,
              }),
              r.accuracyPtq !== null
                ? h(Stat, {
                    id: "q9-acc-ptq",
                    label: `PTQ int${r.bits} accuracy`,
                    value: formatPercent(r.accuracyPtq),
                    hint: "min-max, same float model",
                  })
                : null,
              h(Stat, {
                id: "q9-acc-fp32-same",
                label: "float32, same training",
                value: formatPercent(r.accuracyFp32SameTraining),
                hint: `the fair baseline: ${r.mode === "finetune" ? "the float model" : "random weights"}, ${r.epochs} more epoch${r.epochs > 1 ? "s" : ""}, no fake quantization`,
              }),
              r.accuracyFp32 !== null
                ? h(Stat, {
                    id: "q9-acc-fp32",
                    label: "float32 before",
                    value: formatPercent(r.accuracyFp32),
                    hint: "the model QAT fine-tunes",
                  })
                : null,
              h(Stat, { label: "training time", value: formatMs(r.ms) }),
            )
          : h(Note, null, "Pick the bits and train: the loss is drawn live."),
        curve.length > 1
          ? h(
              Figure,
              { caption: "The training loss, computed through the fake quantizers." },
              h(ChartView, { id: "q9-loss", label: "QAT training loss", config: trainChart, height: 230 }),
            )
          : null,
      ),
    ),
    h(
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
    ),
    h(
      Panel,
      {
        title: "PTQ vs QAT at 8, 4 and 2 bits",
        sub: "From the float model: PTQ with min-max calibration, and QAT fine-tuned with the settings above, at each width.",
      },
      h(
        Controls,
        null,
        h(RunButton, {
          id: "q9-sweep",
          label: "Run PTQ and QAT at 8, 4, 2 bits",
          running: sweep.running,
          disabled: run.running,
          onClick: () => sweep.run({ bits: [8, 4, 2], mode, epochs, trainSize }),
          onCancel: sweep.cancel,
        }),
      ),
      sweep.running && sweep.progress
        ? h(ProgressBar, {
            id: "q9-sweep-progress",
            value: sweep.progress.fraction,
            label: sweep.progress.stage,
          })
        : null,
      sweep.stopped && !sweep.running
        ? h(
            Note,
            { tone: "warn", id: "q9-sweep-stopped" },
            s
              ? "Stopped: the table below is still the previous sweep's."
              : "Stopped before the sweep finished.",
          )
        : null,
      h(ErrorBox, { error: sweep.error }),
      s && isStale(s.modelVersion, model)
        ? h(
            StaleNote,
            {
              id: "q9-sweep-stale",
              running: sweep.running,
              onRerun: () =>
                sweep.run({
                  bits: s.rows.map((row) => row.bits),
                  mode: s.mode,
                  epochs: s.epochs,
                  trainSize: s.trainSize,
                }),
            },
            `this sweep used float model #${s.modelVersion}; the page now uses ${describeModel(model!, formatInt, formatPercent)}.`,
          )
        : null,
      s
        ? h(
            Columns,
            { ratio: "1-2" },
            h(DataTable, {
              id: "q9-sweep-table",
              head: ["bits", "PTQ", "QAT", "float32, same training"],
              numeric: [true, true, true, true],
              rows: s.rows.map((row) => [
                String(row.bits),
                formatPercent(row.ptq),
                h("strong", null, formatPercent(row.qat)),
                formatPercent(s.fp32SameTraining),
              ]),
              caption: `float32 before: ${formatPercent(s.fp32)}; after the same ${s.epochs} extra epoch${s.epochs > 1 ? "s" : ""} of training, without fake quantization: ${formatPercent(s.fp32SameTraining)}`,
            }),
            sweepChart
              ? h(
                  Figure,
                  {
                    caption: h("span", { "data-testid": "q9-sweep-caption" }, sweepVerdict(s)),
                  },
                  h(ChartView, {
                    id: "q9-sweep-chart",
                    label: "PTQ and QAT accuracy by bits",
                    config: sweepChart,
                    height: 250,
                  }),
                )
              : null,
          )
        : null,
    ),
    h(
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
          onChange: (v) => setLayer(v as "fc1" | "fc2"),
        }),
      ),
      h(ErrorBox, { error: weights.error }),
      w && weightChart
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
                config: weightChart,
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
    ),
  );
}
