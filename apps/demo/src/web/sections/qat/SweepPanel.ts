/**
 * Section 9's third panel: PTQ and QAT at 8, 4 and 2 bits from the float model, as a table and a
 * chart, with the caption's verdict against the fair float32 baseline.
 */
import { h, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { formatInt, formatPercent } from "../../lib/format";
import { sweepVerdict } from "../../lib/qatVerdict";
import { ChartView } from "../../ui/chart";
import { Controls, RunButton } from "../../ui/controls";
import { describeModel, isStale } from "../../ui/currentModel";
import { Columns, DataTable, ErrorBox, Figure, Note, Panel, ProgressBar, StaleNote } from "../../ui/layout";
import type { JobState } from "../../ui/useJob";
import type { ModelInfo } from "../../worker/ptq";
import { sweepChart } from "./charts";
import type { QatSettings } from "./TrainPanel";

export function SweepPanel(props: {
  settings: QatSettings;
  sweep: JobState<"qatSweep">;
  runRunning: boolean;
  model: ModelInfo | undefined;
}): JSX.Element {
  const { sweep, model } = props;
  const { mode, epochs, trainSize } = props.settings;
  const s = sweep.result;
  const chart = useMemo(() => (s ? sweepChart(s) : null), [s]);
  return h(
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
        disabled: props.runRunning,
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
          chart
            ? h(
                Figure,
                {
                  caption: h("span", { "data-testid": "q9-sweep-caption" }, sweepVerdict(s)),
                },
                h(ChartView, {
                  id: "q9-sweep-chart",
                  label: "PTQ and QAT accuracy by bits",
                  config: chart,
                  height: 250,
                }),
              )
            : null,
        )
      : null,
  );
}
