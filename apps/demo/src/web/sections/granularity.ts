/**
 * Section 6: granularity. A trained layer's weights (the MLP of sections 8-10, trained in the worker
 * if no section has yet) quantized per tensor, per channel and per group; the error of each output
 * channel plotted.
 */
import type { ChartConfiguration } from "chart.js";
import { h, type JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { formatBytes, formatInt, formatPercent, formatSig } from "../lib/format";
import { compareGranularity, type GranularityKind, groupSizesFor } from "../lib/granularity";
import type { SectionInfo } from "../sectionInfo";
import { axisTitle, ChartView } from "../ui/chart";
import { BitsSlider, Controls, Segmented, Select } from "../ui/controls";
import { describeModel, isStale, useCurrentModel } from "../ui/currentModel";
import {
  Columns,
  DataTable,
  ErrorBox,
  Figure,
  Note,
  Panel,
  ProgressBar,
  SectionFrame,
  StaleNote,
} from "../ui/layout";
import { palette } from "../ui/palette";
import { useJob } from "../ui/useJob";
import type { LayerName } from "../worker/layerWeights";

const LABELS: Record<GranularityKind, string> = {
  per_tensor: "per tensor",
  per_channel: "per channel",
  per_group: "per group",
};
const COLORS: Record<GranularityKind, string> = {
  per_tensor: palette.accent2,
  per_channel: palette.accent,
  per_group: palette.good,
};

/** The divisor of n nearest to 32: a group size like the int4 LLM schemes' (32..128). */
function defaultGroup(inFeatures: number): number {
  const sizes = groupSizesFor(inFeatures);
  return sizes.reduce(
    (best, g) => (Math.abs(g - 32) < Math.abs(best - 32) ? g : best),
    sizes[0] ?? inFeatures,
  );
}

export default function Granularity(props: { info: SectionInfo }): JSX.Element {
  const [layer, setLayer] = useState<LayerName>("fc1");
  const [bits, setBits] = useState(4);
  const [group, setGroup] = useState<number | null>(null);
  const job = useJob("layerWeights");
  const model = useCurrentModel();

  useEffect(() => {
    job.run({ layer, train: { trainSize: 0, epochs: 1 } });
  }, [layer]);

  const w = job.result?.layer === layer ? job.result : undefined;
  const inF = w?.shape[1] ?? 784;
  const sizes = groupSizesFor(inF).filter((g) => g >= 8 || inF <= 100);
  const groupSize = group !== null && inF % group === 0 ? group : defaultGroup(inF);
  const results = useMemo(
    () => (w ? compareGranularity(w.weight, w.shape, bits, groupSize) : undefined),
    [w, bits, groupSize],
  );

  const errChart = useMemo<ChartConfiguration | null>(() => {
    if (!results || !w) return null;
    const channels = w.shape[0];
    return {
      type: "line",
      data: {
        labels: Array.from({ length: channels }, (_, i) => String(i)),
        datasets: results.map((r) => ({
          label: `${LABELS[r.kind]} (${formatInt(r.scales)} scale${r.scales > 1 ? "s" : ""})`,
          data: [...r.channelMse],
          borderColor: COLORS[r.kind],
          backgroundColor: COLORS[r.kind],
          pointRadius: channels > 20 ? 0 : 3,
          borderWidth: 1.6,
        })),
      },
      options: {
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { title: axisTitle("output channel (row of W)"), ticks: { maxTicksLimit: 11 } },
          y: { type: "logarithmic", title: axisTitle("MSE per row (log scale)") },
        },
      },
    };
  }, [results, w]);

  const rangeChart = useMemo<ChartConfiguration | null>(() => {
    if (!w) return null;
    const [out, n] = w.shape;
    const rowMax: number[] = [];
    let all = 0;
    for (let r = 0; r < out; r++) {
      let m = 0;
      for (let c = 0; c < n; c++) m = Math.max(m, Math.abs(w.weight[r * n + c]!));
      rowMax.push(m);
      all = Math.max(all, m);
    }
    return {
      type: "bar",
      data: {
        labels: rowMax.map((_, i) => String(i)),
        datasets: [
          {
            label: "max |w| of the row",
            data: rowMax,
            backgroundColor: palette.accentSoft,
            borderColor: palette.accent,
            borderWidth: 1,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { title: axisTitle("output channel (row of W)"), ticks: { maxTicksLimit: 11 } },
          y: { beginAtZero: true, max: all * 1.05, title: axisTitle("max |w| (weight units)") },
        },
      },
    };
  }, [w]);

  const best = results ? results.reduce((b, r, i) => (r.mse < results[b]!.mse ? i : b), 0) : undefined;

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Granularity is how many values share one scale. Per tensor, the whole weight matrix has one: a single row with large weights sets a coarse grid for every other row. Per channel, each output channel (each row of W) gets its own scale, so small rows keep their precision. Per group goes further: one scale for every block of g consecutive weights, what 4-bit LLM formats do.",
        ),
        h(
          "p",
          null,
          "Finer granularity costs a little memory (one float32 scale per group) and a little arithmetic; the charts show what it buys.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "A trained layer's weights, three ways",
        sub: "The weights of the MNIST MLP trained in the worker (the same model as sections 8-10), quantized symmetric with n bits.",
      },
      h(
        Controls,
        null,
        h(Segmented<LayerName>, {
          id: "g-layer",
          label: "Layer",
          value: layer,
          options: [
            { value: "fc1", label: "fc1 (100 × 784)" },
            { value: "fc2", label: "fc2 (100 × 100)" },
            { value: "fc3", label: "fc3 (10 × 100)" },
          ],
          onChange: setLayer,
        }),
        h(BitsSlider, { id: "g-bits", label: "Bits", value: bits, onInput: setBits }),
        h(Select<number>, {
          id: "g-group",
          label: "Group size g",
          value: groupSize,
          options: sizes.map((g) => ({ value: g, label: `${g} weights` })),
          onChange: setGroup,
        }),
      ),
      job.running && job.progress
        ? h(ProgressBar, {
            id: "g-progress",
            value: job.progress.totalSteps ? job.progress.step / job.progress.totalSteps : 0,
            label:
              job.progress.phase === "loading"
                ? "loading the MNIST digits…"
                : job.progress.phase === "training"
                  ? `training the MLP: step ${job.progress.step} of ${job.progress.totalSteps}, loss ${formatSig(job.progress.loss ?? Number.NaN, 3)}`
                  : "evaluating…",
          })
        : null,
      h(ErrorBox, { error: job.error }),
      w && isStale(w.model.version, model)
        ? h(
            StaleNote,
            {
              id: "g-stale",
              running: job.running,
              onRerun: () => job.run({ layer, train: { trainSize: 0, epochs: 1 } }),
            },
            `these weights are float model #${w.model.version}'s; the page now uses ${describeModel(model!, formatInt, formatPercent)}.`,
          )
        : null,
      w && results
        ? h(
            "div",
            { "data-testid": "g-results" },
            h(DataTable, {
              id: "g-table",
              highlight: best,
              head: ["granularity", "scales", "MSE", "SQNR (dB)", "size (weights + scales)"],
              numeric: [false, true, true, true, true],
              rows: results.map((r) => [
                LABELS[r.kind],
                formatInt(r.scales),
                h("span", { "data-testid": `g-mse-${r.kind}` }, formatSig(r.mse, 3)),
                formatSig(r.sqnr, 3),
                formatBytes(r.bytes),
              ]),
              caption: `${layer}: ${formatInt(w.weight.length)} weights at ${bits} bits; float32 would take ${formatBytes(w.weight.length * 4)}. Float model #${w.model.version}: test accuracy ${formatPercent(w.model.accuracy)}, ${w.model.epochs === 0 ? "a loaded checkpoint" : `${w.model.epochs} epoch${w.model.epochs > 1 ? "s" : ""} on ${formatInt(w.model.trainSize)} digits`}.`,
            }),
            h(
              Columns,
              { ratio: "1-1" },
              errChart
                ? h(
                    Figure,
                    {
                      caption:
                        "The error of each output channel. Per tensor, rows with small weights are quantized with the coarse grid the largest row needs.",
                    },
                    h(ChartView, {
                      id: "g-err",
                      label: "per-channel error for each granularity",
                      config: errChart,
                      height: 280,
                    }),
                  )
                : null,
              rangeChart
                ? h(
                    Figure,
                    {
                      caption:
                        "Why: the rows' ranges differ. Per tensor, every row uses the tallest bar's scale.",
                    },
                    h(ChartView, {
                      id: "g-ranges",
                      label: "largest weight of each row",
                      config: rangeChart,
                      height: 280,
                    }),
                  )
                : null,
            ),
          )
        : job.running
          ? null
          : h(Note, null, "Waiting for the worker…"),
    ),
  );
}
