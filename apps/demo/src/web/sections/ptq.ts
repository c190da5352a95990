/**
 * Section 8: post-training quantization. Train the deck's MLP on the bundled MNIST digits in the
 * worker (or load a checkpoint the command line saved), pick a calibrator, calibrate and convert with
 * @quantkit/ptq, and compare accuracy and size; every run stays in a table for comparison.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { formatBytes, formatInt, formatMs, formatPercent, formatSig } from "../lib/format";
import type { LossPoint } from "../lib/lossCurve";
import { retrainDefaults } from "../lib/retrainDefaults";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { Controls, RunButton, Segmented, Select } from "../ui/controls";
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
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";
import type { Calibrator, PtqOutput } from "../worker/ptq";

const CALIBRATORS: { value: Calibrator; label: string; title: string }[] = [
  { value: "minmax", label: "Min-max (PyTorch's default)", title: "the observed minimum and maximum" },
  { value: "histogram", label: "Histogram (L2 search)", title: "PyTorch's HistogramObserver" },
  { value: "percentile", label: "Percentile 99.99", title: "the 0.01th and 99.99th percentiles" },
  { value: "mse", label: "MSE grid search", title: "the range with the least squared error" },
  {
    value: "entropy",
    label: "Entropy (KL, TensorRT)",
    title: "the threshold that loses the least information",
  },
];

export function lossChart(curve: readonly LossPoint[], label = "training loss"): ChartConfiguration {
  // An exponential moving average over the points (about 20 of them) shows the trend under the noise.
  const alpha = 2 / 21;
  let ema = curve[0]?.loss ?? 0;
  const smooth = curve.map((p) => {
    ema += alpha * (p.loss - ema);
    return { x: p.step, y: ema };
  });
  return {
    type: "line",
    data: {
      datasets: [
        {
          label,
          data: curve.map((p) => ({ x: p.step, y: p.loss })),
          borderColor: "rgba(59, 91, 219, 0.35)",
          pointRadius: 0,
          borderWidth: 1,
        },
        {
          label: "moving average",
          data: smooth,
          borderColor: palette.accent,
          pointRadius: 0,
          borderWidth: 2.2,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        x: { type: "linear", beginAtZero: true, title: axisTitle("optimizer step (batches of 10 digits)") },
        y: { type: "linear", beginAtZero: true, title: axisTitle("loss (nats)") },
      },
    },
  };
}

export default function Ptq(props: { info: SectionInfo }): JSX.Element {
  const [trainSize, setTrainSize] = useState(2000);
  const [epochs, setEpochs] = useState(1);
  const [calibrator, setCalibrator] = useState<Calibrator>("minmax");
  const [perChannel, setPerChannel] = useState(false);
  const [bits, setBits] = useState(8);
  const [calibSize, setCalibSize] = useState(500);
  const [runs, setRuns] = useState<PtqOutput[]>([]);
  const model = useCurrentModel();
  const train = useJob("trainMlp");
  const load = useJob("loadCheckpoint");
  const ptq = useJob("ptq");

  // "Train again" starts from the current model's settings: retraining never silently swaps a model
  // trained on all 7,996 digits for one trained on 2,000.
  useEffect(() => {
    const d = retrainDefaults(model);
    if (d.trainSize !== undefined) setTrainSize(d.trainSize);
    if (d.epochs !== undefined) setEpochs(d.epochs);
  }, [model?.version]);

  const onTrain = () => train.run({ trainSize, epochs });
  const onFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    await load.run({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name });
  };
  const quantize = async (input: {
    calibrator: Calibrator;
    perChannel: boolean;
    bits: number;
    calibSize: number;
  }) => {
    const out = await ptq.run(input);
    if (out) setRuns((r) => [...r, out]);
  };
  const onQuantize = () => quantize({ calibrator, perChannel, bits, calibSize });

  // The live curve while training; afterwards the curve of the model in use (not a stopped run's).
  const finished = train.result && train.result.version === model?.version ? train.result : undefined;
  const curve = (train.running ? train.progress?.curve : finished?.curve) ?? [];
  const trainChart = useMemo(() => lossChart(curve), [curve]);
  const last = ptq.result;

  const runsChart = useMemo<ChartConfiguration | null>(() => {
    if (runs.length === 0) return null;
    return {
      type: "bar",
      data: {
        labels: runs.map((r, i) => [
          `#${i + 1} ${r.calibrator}`,
          `w${r.bits}a${r.bits}${r.perChannel ? " per-ch." : ""}`,
        ]),
        datasets: [
          {
            label: "float32",
            data: runs.map((r) => r.accuracyFp32 * 100),
            backgroundColor: "rgba(29, 36, 51, 0.18)",
            borderColor: palette.ink,
            borderWidth: 1,
          },
          {
            label: "integer model",
            data: runs.map((r) => r.accuracyInt * 100),
            backgroundColor: runs.map((r) =>
              r.bits >= 8 ? palette.accent : r.bits >= 4 ? palette.accent2 : palette.bad,
            ),
          },
        ],
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { title: axisTitle("run (calibrator, bits)"), ticks: { maxRotation: 0 } },
          y: { min: 0, max: 100, title: axisTitle("test accuracy", "%") },
        },
      },
    };
  }, [runs]);

  const trainProgress = train.progress;
  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Post-training quantization takes a model already trained in floating point. It inserts observers that watch the activations while some representative data flows through (calibration), picks each layer's range with them, then converts: int8 weights, int32 biases, uint8 activations, fixed-point requantization between layers.",
        ),
        h(
          "p",
          null,
          "Here the deck's notebook runs in your browser: its MLP (784-100-100-10, ReLU) trained on MNIST digits with Adam, then PyTorch's recipe through quantkit's ptq package.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "1. Train the float model",
        sub: "Adam, learning rate 10⁻³, batches of 10, as the deck's notebook; a seeded random subset of the 7,996 bundled training digits.",
      },
      h(
        Controls,
        null,
        h(Segmented<number>, {
          id: "p8-train-size",
          label: "Training digits",
          value: trainSize,
          options: [
            { value: 2000, label: "2,000 (fast)" },
            { value: 7996, label: "all 7,996" },
          ],
          onChange: setTrainSize,
        }),
        h(Segmented<number>, {
          id: "p8-epochs",
          label: "Epochs",
          value: epochs,
          options: [1, 2, 3].map((e) => ({ value: e, label: String(e) })),
          onChange: setEpochs,
        }),
        h(RunButton, {
          id: "p8-train",
          label: model?.trained ? "Train again" : "Train",
          running: train.running,
          onClick: onTrain,
          onCancel: train.cancel,
        }),
        h(
          "label",
          { class: "control file" },
          h("span", { class: "control-label" }, "…or load a checkpoint"),
          h("input", {
            type: "file",
            accept: ".safetensors",
            "data-testid": "p8-checkpoint",
            onChange: onFile,
          }),
        ),
      ),
      trainProgress && train.running
        ? h(ProgressBar, {
            id: "p8-train-progress",
            value: trainProgress.totalSteps ? trainProgress.step / trainProgress.totalSteps : 0,
            label:
              trainProgress.phase === "loading"
                ? "loading the MNIST digits…"
                : trainProgress.phase === "training"
                  ? `step ${formatInt(trainProgress.step)} of ${formatInt(trainProgress.totalSteps)} · epoch ${trainProgress.epoch + 1} · loss ${formatSig(trainProgress.loss ?? Number.NaN, 3)}`
                  : "evaluating on the 2,004 test digits…",
          })
        : null,
      train.stopped && !train.running
        ? h(
            Note,
            { tone: "warn", id: "p8-stopped" },
            "Stopped: training was cancelled. ",
            model?.trained
              ? `The page still uses ${describeModel(model, formatInt, formatPercent)}.`
              : "No float model yet.",
          )
        : null,
      h(ErrorBox, { error: train.error ?? load.error }),
      h(
        Columns,
        { ratio: "1-2" },
        h(
          Stats,
          null,
          h(Stat, {
            id: "p8-fp32-acc",
            label: "float32 test accuracy",
            value: model?.trained && model.accuracy !== null ? formatPercent(model.accuracy) : "—",
            tone: "accent",
            hint: model?.trained
              ? h(
                  "span",
                  { "data-testid": "p8-model" },
                  model.source === "loaded checkpoint"
                    ? `model #${model.version}: loaded checkpoint`
                    : `model #${model.version}: ${formatInt(model.trainSize ?? 0)} digits × ${model.epochs} epoch${model.epochs === 1 ? "" : "s"}`,
                )
              : "not trained yet",
          }),
          h(Stat, {
            label: "parameters",
            value: formatInt(89_610),
            hint: "784·100+100 + 100·100+100 + 100·10+10",
          }),
          finished
            ? h(Stat, {
                label: "training time",
                value: formatMs(finished.ms),
                hint: "in the worker; the page stays responsive",
              })
            : null,
        ),
        curve.length > 1
          ? h(
              Figure,
              {
                caption: train.running
                  ? "The loss while training (mean over buckets of steps)."
                  : `The loss while training model #${model?.version} (mean over buckets of steps).`,
              },
              h(ChartView, { id: "p8-loss", label: "training loss", config: trainChart, height: 220 }),
            )
          : h(
              Note,
              null,
              model?.trained
                ? "A float model is already trained in this page (section 6 trains one too): you can go straight to step 2."
                : "Train the model first: the training runs in a Web Worker, with its loss drawn live.",
            ),
      ),
    ),
    h(
      Panel,
      {
        title: "2. Calibrate and convert",
        sub: "Observers watch the activations of a calibration slice of the training digits; convert turns the model into integer-only layers.",
      },
      h(
        Controls,
        null,
        h(Select<Calibrator>, {
          id: "p8-calibrator",
          label: "Activation calibrator",
          value: calibrator,
          options: CALIBRATORS,
          onChange: setCalibrator,
        }),
        h(Segmented<string>, {
          id: "p8-weights",
          label: "Weight scales",
          value: perChannel ? "channel" : "tensor",
          options: [
            { value: "tensor", label: "per tensor" },
            { value: "channel", label: "per channel" },
          ],
          onChange: (v) => setPerChannel(v === "channel"),
        }),
        h(Segmented<number>, {
          id: "p8-bits",
          label: "Bits (weights and activations)",
          value: bits,
          options: [8, 6, 4, 3, 2].map((b) => ({ value: b, label: String(b) })),
          onChange: setBits,
        }),
        h(Segmented<number>, {
          id: "p8-calib",
          label: "Calibration digits",
          value: calibSize,
          options: [100, 500, 2000].map((c) => ({ value: c, label: formatInt(c) })),
          onChange: setCalibSize,
        }),
        h(RunButton, {
          id: "p8-run",
          label: "Calibrate and convert",
          running: ptq.running,
          disabled: !model?.trained || train.running,
          onClick: onQuantize,
          onCancel: ptq.cancel,
        }),
      ),
      ptq.running && ptq.progress
        ? h(ProgressBar, { id: "p8-progress", value: ptq.progress.fraction, label: `${ptq.progress.phase}…` })
        : null,
      h(ErrorBox, { error: ptq.error }),
      last && model?.version !== null && model?.version !== undefined && last.modelVersion !== model.version
        ? h(
            StaleNote,
            {
              id: "p8-stale",
              running: ptq.running,
              onRerun: () =>
                quantize({
                  calibrator: last.calibrator,
                  perChannel: last.perChannel,
                  bits: last.bits,
                  calibSize: last.calibSize,
                }),
            },
            `these results come from float model #${last.modelVersion}; the page now uses ${describeModel(model, formatInt, formatPercent)}.`,
          )
        : null,
      last
        ? h(
            "div",
            {
              "data-testid": "p8-result",
              "data-model": String(last.modelVersion),
              class: last.modelVersion !== model?.version ? "stale-dim" : undefined,
            },
            h(
              Stats,
              null,
              h(Stat, {
                id: "p8-acc-fp32",
                label: "float32 accuracy",
                value: formatPercent(last.accuracyFp32),
              }),
              h(Stat, {
                id: "p8-acc-int",
                label: `int${last.bits} accuracy`,
                value: formatPercent(last.accuracyInt),
                tone: last.accuracyFp32 - last.accuracyInt < 0.01 ? "good" : "bad",
                hint: `${last.accuracyInt >= last.accuracyFp32 ? "+" : "−"}${formatSig(Math.abs(last.accuracyInt - last.accuracyFp32) * 100, 2)} points`,
              }),
              h(Stat, {
                id: "p8-agree",
                label: "same prediction",
                value: formatPercent(last.agreement),
                hint: `of ${formatInt(last.testCount)} test digits`,
              }),
              h(Stat, {
                id: "p8-size",
                label: "model file size",
                value: `${formatBytes(last.fp32Bytes)} → ${formatBytes(last.intBytes)}`,
                tone: "accent",
                hint: `${formatSig(last.fp32Bytes / last.intBytes, 2)}× smaller (safetensors)`,
              }),
              h(Stat, {
                id: "p8-time",
                label: "test-set inference",
                value: `${formatMs(last.fp32Ms)} → ${formatMs(last.intMs)}`,
                hint: `float (nn) → integer (${last.intBackend} kernels)`,
              }),
            ),
            h(DataTable, {
              id: "p8-report",
              compact: true,
              caption:
                "Per layer, on 200 test digits: the range calibration chose, the weights' and the outputs' signal-to-noise ratio against the float model, and what the range clipped.",
              head: [
                "layer",
                "range [min, max]",
                "scale",
                "zero point",
                "weight SQNR (dB)",
                "output SQNR (dB)",
                "clipped",
              ],
              numeric: [false, true, true, true, true, true, true],
              rows: last.report.map((r) => [
                r.name === "quant" ? "input" : r.name,
                `[${formatSig(r.rangeMin, 3)}, ${formatSig(r.rangeMax, 3)}]`,
                formatSig(r.scale, 3),
                String(r.zeroPoint),
                r.weightSqnrDb === null ? "—" : formatSig(r.weightSqnrDb, 3),
                formatSig(r.sqnrDb, 3),
                formatPercent(r.clippedFraction),
              ]),
            }),
          )
        : h(Note, null, "Pick a calibrator and press “Calibrate and convert”."),
    ),
    h(
      Panel,
      {
        title: "3. Compare the runs",
        sub: "Every run of this page, in order: change the calibrator, the scales or the bits and run again.",
      },
      runs.length
        ? h(
            "div",
            null,
            h(DataTable, {
              id: "p8-runs",
              compact: true,
              head: [
                "#",
                "float model",
                "calibrator",
                "weights",
                "bits",
                "calibration digits",
                "float32",
                "integer",
                "file size",
              ],
              numeric: [true, false, false, false, true, true, true, true, true],
              rows: runs.map((r, i) => [
                String(i + 1),
                r.modelVersion === model?.version ? `#${r.modelVersion}` : `#${r.modelVersion} (earlier)`,
                r.calibrator,
                r.perChannel ? "per channel" : "per tensor",
                String(r.bits),
                formatInt(r.calibSize),
                formatPercent(r.accuracyFp32),
                formatPercent(r.accuracyInt),
                formatBytes(r.intBytes),
              ]),
            }),
            runsChart
              ? h(
                  Figure,
                  {
                    caption:
                      "Test accuracy of each run: grey the float model, colour the integer one (blue 8 bits, orange 4-6, red below).",
                  },
                  h(ChartView, {
                    id: "p8-runs-chart",
                    label: "accuracy of each run",
                    config: runsChart,
                    height: 240,
                  }),
                )
              : null,
          )
        : h(Note, null, "No run yet."),
      h(
        DeckQuote,
        null,
        h(
          "p",
          null,
          "The deck's notebook (PyTorch, the full 60,000 MNIST digits): float32 accuracy 0.963, int8 0.963; the model's state shrinks from 360.6 KB to 95.0 KB.",
        ),
      ),
    ),
  );
}
