/**
 * Section 9's first panel: the QAT run's settings, its progress, its accuracies against PTQ and
 * float32, and its loss curve drawn live.
 */
import { h, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { formatInt, formatMs, formatPercent, formatSig } from "../../lib/format";
import { ChartView } from "../../ui/chart";
import { Controls, RunButton, Segmented } from "../../ui/controls";
import { describeModel, isStale } from "../../ui/currentModel";
import { Columns, ErrorBox, Figure, Note, Panel, ProgressBar, StaleNote, Stat, Stats } from "../../ui/layout";
import { lossChart } from "../../ui/lossChart";
import type { JobState } from "../../ui/useJob";
import type { ModelInfo } from "../../worker/ptq";
import type { QatMode } from "../../worker/qat";

/** The settings of a QAT run, shared by the sweep. */
export interface QatSettings {
  bits: number;
  mode: QatMode;
  epochs: number;
  trainSize: number;
}

export function TrainPanel(props: {
  settings: QatSettings;
  onSettings: (settings: QatSettings) => void;
  run: JobState<"qat">;
  sweepRunning: boolean;
  model: ModelInfo | undefined;
}): JSX.Element {
  const { settings, onSettings, run, sweepRunning, model } = props;
  const { bits, mode, epochs, trainSize } = settings;
  const hasFloat = model?.trained === true;
  // The live curve while training; afterwards the finished run's (never a stopped run's).
  const curve = (run.running ? run.progress?.curve : run.result?.curve) ?? [];
  const trainChart = useMemo(() => lossChart(curve, "loss with fake quantization"), [curve]);
  const r = run.result;
  return h(
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
        onChange: (b) => onSettings({ ...settings, bits: b }),
      }),
      h(Segmented<QatMode>, {
        id: "q9-mode",
        label: "Start from",
        value: mode,
        options: [
          { value: "finetune", label: "the float model (fine-tune)", title: "lr 1e-4" },
          { value: "scratch", label: "random weights", title: "the deck's notebook, lr 1e-3" },
        ],
        onChange: (m) => onSettings({ ...settings, mode: m }),
      }),
      h(Segmented<number>, {
        id: "q9-epochs",
        label: "Epochs",
        value: epochs,
        options: [1, 2].map((e) => ({ value: e, label: String(e) })),
        onChange: (e) => onSettings({ ...settings, epochs: e }),
      }),
      h(Segmented<number>, {
        id: "q9-train-size",
        label: "Training digits",
        value: trainSize,
        options: [
          { value: 2000, label: "2,000" },
          { value: 7996, label: "all 7,996" },
        ],
        onChange: (t) => onSettings({ ...settings, trainSize: t }),
      }),
      h(RunButton, {
        id: "q9-run",
        label: "Train with QAT",
        running: run.running,
        disabled: sweepRunning,
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
            onRerun: () => run.run({ bits: r.bits, mode: r.mode, epochs: r.epochs, trainSize: r.trainSize }),
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
  );
}
