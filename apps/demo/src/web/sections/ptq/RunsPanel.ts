/**
 * Section 8's last panel: every PTQ run of the page in order, as a table and an accuracy chart, and
 * the deck's own figures.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useMemo } from "preact/hooks";
import { formatBytes, formatInt, formatPercent } from "../../lib/format";
import { axisTitle, ChartView } from "../../ui/chart";
import { DataTable, DeckQuote, Figure, Note, Panel } from "../../ui/layout";
import { palette } from "../../ui/palette";
import type { ModelInfo, PtqOutput } from "../../worker/ptq";

export function RunsPanel(props: { runs: readonly PtqOutput[]; model: ModelInfo | undefined }): JSX.Element {
  const { runs, model } = props;
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

  return h(
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
  );
}
