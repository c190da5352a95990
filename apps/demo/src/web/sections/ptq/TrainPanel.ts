/**
 * Section 8's first panel: train the deck's MLP on the bundled digits in the worker (loss drawn
 * live), or load a checkpoint the command line saved; the float model's accuracy and curve.
 */
import { h, type JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { formatInt, formatMs, formatPercent, formatSig } from "../../lib/format";
import { retrainDefaults } from "../../lib/retrainDefaults";
import { ChartView } from "../../ui/chart";
import { Controls, RunButton, Segmented } from "../../ui/controls";
import { describeModel } from "../../ui/currentModel";
import { Columns, ErrorBox, Figure, Note, Panel, ProgressBar, Stat, Stats } from "../../ui/layout";
import { lossChart } from "../../ui/lossChart";
import type { JobState } from "../../ui/useJob";
import type { ModelInfo } from "../../worker/ptq";

export function TrainPanel(props: {
  train: JobState<"trainMlp">;
  load: JobState<"loadCheckpoint">;
  model: ModelInfo | undefined;
}): JSX.Element {
  const { train, load, model } = props;
  const [trainSize, setTrainSize] = useState(2000);
  const [epochs, setEpochs] = useState(1);

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

  // The live curve while training; afterwards the curve of the model in use (not a stopped run's).
  const finished = train.result && train.result.version === model?.version ? train.result : undefined;
  const curve = (train.running ? train.progress?.curve : finished?.curve) ?? [];
  const trainChart = useMemo(() => lossChart(curve), [curve]);
  const trainProgress = train.progress;
  return h(
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
  );
}
