/**
 * Section 8's second panel: pick a calibrator, the weight scales, the bits and the calibration
 * slice, calibrate and convert with @quantkit/ptq in the worker; the integer model's accuracy, size,
 * speed and per-layer report.
 */
import { h, type JSX } from "preact";
import { useState } from "preact/hooks";
import { formatBytes, formatInt, formatMs, formatPercent, formatSig } from "../../lib/format";
import { Controls, RunButton, Segmented, Select } from "../../ui/controls";
import { describeModel, isStale } from "../../ui/currentModel";
import { DataTable, ErrorBox, Note, Panel, ProgressBar, StaleNote, Stat, Stats } from "../../ui/layout";
import type { JobState } from "../../ui/useJob";
import type { Calibrator, ModelInfo } from "../../worker/ptq";

/** What one PTQ run is asked for. */
export interface PtqSettings {
  calibrator: Calibrator;
  perChannel: boolean;
  bits: number;
  calibSize: number;
}

const _CALIBRATORS: { value: Calibrator; label: string; title: string }[] = [
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

export function ConvertPanel(props: {
  ptq: JobState<"ptq">;
  quantize: (settings: PtqSettings) => Promise<void>;
  trainRunning: boolean;
  model: ModelInfo | undefined;
}): JSX.Element {
  const { ptq, quantize, model } = props;
  const [calibrator, setCalibrator] = useState<Calibrator>("minmax");
  const [perChannel, setPerChannel] = useState(false);
  const [bits, setBits] = useState(8);
  const [calibSize, setCalibSize] = useState(500);
  const onQuantize = () => quantize({ calibrator, perChannel, bits, calibSize });
  const last = ptq.result;
  return h(
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
        options: _CALIBRATORS,
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
        disabled: !model?.trained || props.trainRunning,
        onClick: onQuantize,
        onCancel: ptq.cancel,
      }),
    ),
    ptq.running && ptq.progress
      ? h(ProgressBar, { id: "p8-progress", value: ptq.progress.fraction, label: `${ptq.progress.phase}…` })
      : null,
    h(ErrorBox, { error: ptq.error }),
    last && isStale(last.modelVersion, model)
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
          `these results come from float model #${last.modelVersion}; the page now uses ${describeModel(model!, formatInt, formatPercent)}.`,
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
  );
}
