/// <reference types="vite/client" />
/**
 * Section 11: quantize your own model. Drop an .onnx file (or load Silero VAD v5), pick a mode,
 * quantize it with @quantkit/onnx in a Web Worker, see the sizes and the error of the outputs, run both
 * models side by side with onnxruntime-web, download the result. Nothing leaves the page.
 */

import type { WeightOnlyMethod } from "@quantkit/onnx";
import sileroUrl from "@ricky0123/vad-web/dist/silero_vad_v5.onnx?url";
import { h, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { formatBytes, formatInt, formatMs, formatSig } from "../lib/format";
import { InputRow } from "../onnx/InputRow";
import { useOnnxJob } from "../onnx/useOnnxJob";
import "../onnx/onnx.css";
import { defaultSpecs, type InputSpec, SILERO_SPECS } from "../onnx/exampleInput";
import type { ModelSummary, OnnxMode, QuantizeOutput, RunOutput } from "../onnx/jobs";
import { Q4Controls } from "../onnx/Q4Controls";
import { PAGE_MODES } from "../onnx/quantizeModel";
import type { SectionInfo } from "../sectionInfo";
import { Controls, RunButton, Segmented, Select } from "../ui/controls";
import { DataTable, ErrorBox, Note, Panel, ProgressBar, SectionFrame, Stat, Stats } from "../ui/layout";

const EXAMPLE_NAME = "silero_vad_v5.onnx";
const CALIBRATION_SAMPLES = 8;
const RUN_REPEATS = 5;

const db = (x: number) => (Number.isFinite(x) ? `${formatSig(x, 3)} dB` : x > 0 ? "exact" : "-∞ dB");

export default function OnnxSection(props: { info: SectionInfo }): JSX.Element {
  const [summary, setSummary] = useState<ModelSummary | undefined>(undefined);
  const [specs, setSpecs] = useState<InputSpec[]>([]);
  const [mode, setMode] = useState<OnnxMode>("q8");
  const [perChannel, setPerChannel] = useState(true);
  const [method, setMethod] = useState<WeightOnlyMethod>("rtn");
  const [blockSize, setBlockSize] = useState(32);
  const q4 = mode === "q4" || mode === "q4f16";
  const [result, setResult] = useState<QuantizeOutput | undefined>(undefined);
  const [download, setDownload] = useState<string | undefined>(undefined);
  const [runResult, setRunResult] = useState<RunOutput | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const [fetchError, setFetchError] = useState<Error | undefined>(undefined);
  const load = useOnnxJob("load");
  const quantize = useOnnxJob("quantize");
  const runBoth = useOnnxJob("run");

  useEffect(() => () => void (download && URL.revokeObjectURL(download)), [download]);

  const loadBytes = async (bytes: Uint8Array, name: string, example: boolean) => {
    setResult(undefined);
    setRunResult(undefined);
    setDownload(undefined);
    const s = await load.run({ bytes, name });
    if (!s) return;
    setSummary(s);
    setSpecs(example ? SILERO_SPECS.map((x) => ({ ...x, shape: [...x.shape] })) : defaultSpecs(s.inputs));
  };
  const loadFile = async (file: File | undefined) => {
    if (file) await loadBytes(new Uint8Array(await file.arrayBuffer()), file.name, false);
  };
  const loadExample = async () => {
    setFetchError(undefined);
    try {
      const res = await fetch(sileroUrl);
      if (!res.ok) throw new Error(`${EXAMPLE_NAME}: HTTP ${res.status}`);
      await loadBytes(new Uint8Array(await res.arrayBuffer()), EXAMPLE_NAME, true);
    } catch (e) {
      setFetchError(e as Error);
    }
  };
  const doQuantize = async () => {
    setRunResult(undefined);
    const out = await quantize.run({
      mode,
      perChannel,
      method,
      blockSize,
      specs,
      calibrationSamples: CALIBRATION_SAMPLES,
    });
    if (!out) return;
    setResult(out);
    setDownload(URL.createObjectURL(new Blob([out.bytes as BlobPart], { type: "application/octet-stream" })));
  };
  const doRun = async () => {
    const out = await runBoth.run({ specs, seed: 0, repeats: RUN_REPEATS });
    if (out) setRunResult(out);
  };

  const quantizedNodes = result?.nodes.filter((n) => n.quantized) ?? [];
  const floatNodes = result?.nodes.filter((n) => !n.quantized) ?? [];
  const floatReasons = [
    ...floatNodes.reduce(
      (m, n) => m.set(n.detail, [...(m.get(n.detail) ?? []), n.name]),
      new Map<string, string[]>(),
    ),
  ].sort((a, b) => b[1].length - a[1].length);
  const outName = summary
    ? `${summary.name.replace(/\.onnx$/i, "")}.${result?.mode ?? mode}.onnx`
    : "model.onnx";

  return h(
    SectionFrame,
    {
      info: props.info,
      lead: [
        h(
          "p",
          null,
          "Everything so far ran on this project's own small MLP. Models people deploy come as ONNX files: bring one, and quantize it here, in this tab, with @quantkit/onnx, the same package the quantkit command line uses.",
        ),
        h(
          "p",
          null,
          "Nothing leaves the page: the file is read in a Web Worker, quantized there, and both models run in onnxruntime-web (WebAssembly, one thread) on an example input.",
        ),
      ],
    },
    h(
      Panel,
      {
        title: "Your model",
        sub: "Drop an .onnx file here, pick one, or load the example: Silero VAD v5 (voice activity detection, MIT licence).",
      },
      h(
        "div",
        {
          class: dragging ? "dropzone active" : "dropzone",
          "data-testid": "ox-drop",
          onDragOver: (e: DragEvent) => {
            e.preventDefault();
            setDragging(true);
          },
          onDragLeave: () => setDragging(false),
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            setDragging(false);
            void loadFile(e.dataTransfer?.files[0]);
          },
        },
        h(
          Controls,
          null,
          h(
            "label",
            { class: "control" },
            h("span", { class: "control-label" }, "ONNX file"),
            h("input", {
              type: "file",
              accept: ".onnx",
              "data-testid": "ox-file",
              onChange: (e: Event) => void loadFile((e.currentTarget as HTMLInputElement).files?.[0]),
            }),
          ),
          h(RunButton, {
            id: "ox-example",
            label: "Load the example (Silero VAD v5)",
            running: load.running,
            onClick: () => void loadExample(),
          }),
        ),
      ),
      h(ErrorBox, { error: load.error ?? fetchError }),
      summary
        ? h(
            "div",
            null,
            h(
              Stats,
              null,
              h(Stat, { id: "ox-name", label: "Model", value: summary.name }),
              h(Stat, {
                id: "ox-size",
                label: "File size",
                value: formatInt(summary.sizeBytes),
                unit: "bytes",
                hint: formatBytes(summary.sizeBytes),
              }),
              h(Stat, { id: "ox-params", label: "Parameters", value: formatInt(summary.parameters) }),
              h(Stat, {
                id: "ox-nodes",
                label: "Nodes",
                value: formatInt(summary.nodes),
                hint: `opset ${summary.opset}`,
              }),
            ),
            h(
              "p",
              { class: "panel-sub" },
              "Operators: ",
              summary.ops
                .slice(0, 12)
                .map(([op, n]) => `${op} ×${n}`)
                .join(", "),
              summary.ops.length > 12 ? ", …" : "",
            ),
          )
        : null,
    ),
    summary
      ? h(
          Panel,
          {
            title: "Quantize",
            sub: "fp16 halves the weights; q8 stores int8 weights and quantizes activations at run time (ONNX Runtime's dynamic quantization); int8 also fixes the activation ranges, calibrated on eight seeded draws of the example input below (static QDQ); q4 stores MatMul weights as 4-bit blocks (MatMulNBits; rtn, gptq, awq or hqq, gptq and awq weighing the error by the layer inputs on those draws), q4f16 the same with float16 scales and float16 compute. The error is measured against the float model on those same draws.",
          },
          h(
            Controls,
            null,
            h(Segmented<OnnxMode>, {
              id: "ox-mode",
              label: "Mode",
              value: mode,
              options: PAGE_MODES.map((m) => ({ value: m.mode, label: m.label, title: m.title })),
              onChange: setMode,
            }),
            q4
              ? h(Q4Controls, { method, blockSize, onMethod: setMethod, onBlockSize: setBlockSize })
              : h(Select<string>, {
                  id: "ox-granularity",
                  label: "Weight scales",
                  value: perChannel ? "channel" : "tensor",
                  options: [
                    { value: "channel", label: "per channel" },
                    { value: "tensor", label: "per tensor" },
                  ],
                  onChange: (v) => setPerChannel(v === "channel"),
                }),
            h(RunButton, {
              id: "ox-quantize",
              label: "Quantize",
              running: quantize.running,
              onClick: () => void doQuantize(),
              onCancel: quantize.cancel,
            }),
          ),
          quantize.running && quantize.progress
            ? h(ProgressBar, {
                id: "ox-progress",
                value: quantize.progress.done / Math.max(1, quantize.progress.total),
                label: `${quantize.progress.stage} ${quantize.progress.done}/${quantize.progress.total}`,
              })
            : null,
          h(ErrorBox, { error: quantize.error }),
          result
            ? h(
                "div",
                null,
                h(
                  Stats,
                  null,
                  h(Stat, {
                    id: "ox-before",
                    label: "Float file",
                    value: formatInt(result.sizeBytesBefore),
                    unit: "bytes",
                  }),
                  h(Stat, {
                    id: "ox-after",
                    label: `${result.mode} file`,
                    value: formatInt(result.sizeBytesAfter),
                    unit: "bytes",
                    tone: "accent",
                    hint: `${formatSig(result.sizeBytesBefore / result.sizeBytesAfter, 3)}× smaller`,
                  }),
                  h(Stat, { id: "ox-time", label: "Quantized in", value: formatMs(result.quantizeMs) }),
                  h(Stat, {
                    id: "ox-float-nodes",
                    label: "Nodes left float",
                    value: formatInt(floatNodes.length),
                    hint: `of ${formatInt(result.nodes.length)}`,
                  }),
                ),
                h(DataTable, {
                  id: "ox-outputs-sqnr",
                  head: ["output", `SQNR vs float (${result.evaluatedSamples} inputs)`],
                  numeric: [false, true],
                  rows: Object.entries(result.outputSqnrDb).map(([name, v]) => [
                    h("code", null, name),
                    db(v),
                  ]),
                }),
                h(DataTable, {
                  id: "ox-nodes-table",
                  compact: true,
                  caption: `Quantized nodes (${quantizedNodes.length}): how each runs now.`,
                  head: ["node", "op", "graph", "runs as", "SQNR"],
                  numeric: [false, false, false, false, true],
                  rows: quantizedNodes.map((n) => [
                    h("code", null, n.name),
                    n.opType,
                    n.graph,
                    n.detail,
                    n.sqnrDb === undefined ? "" : db(n.sqnrDb),
                  ]),
                }),
                h(DataTable, {
                  id: "ox-float-table",
                  compact: true,
                  caption: `Nodes left float (${floatNodes.length}), by reason.`,
                  head: ["nodes", "why", "e.g."],
                  numeric: [true, false, false],
                  rows: floatReasons.map(([reason, names]) => [
                    String(names.length),
                    reason,
                    names.slice(0, 2).join(", ") + (names.length > 2 ? ", …" : ""),
                  ]),
                }),
                download
                  ? h(
                      "a",
                      { class: "download", href: download, download: outName, "data-testid": "ox-download" },
                      `Download ${outName} (${formatBytes(result.sizeBytesAfter)})`,
                    )
                  : null,
              )
            : null,
        )
      : null,
    summary
      ? h(
          Panel,
          {
            title: "Run both models",
            sub: "The same example input through the float and the quantized model, onnxruntime-web (WebAssembly, one thread), median of five runs after a warm-up.",
          },
          h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "data compact ox-inputs", "data-testid": "ox-inputs" },
              h(
                "thead",
                null,
                h(
                  "tr",
                  null,
                  ["input", "type", "shape", "values"].map((c) => h("th", null, c)),
                ),
              ),
              h(
                "tbody",
                null,
                specs.map((s, i) =>
                  h(InputRow, {
                    key: s.name,
                    spec: s,
                    index: i,
                    onChange: (next: InputSpec) => setSpecs(specs.map((x, j) => (j === i ? next : x))),
                  }),
                ),
              ),
            ),
          ),
          h(
            Controls,
            null,
            h(RunButton, {
              id: "ox-run",
              label: "Run both",
              running: runBoth.running,
              disabled: !result,
              onClick: () => void doRun(),
            }),
          ),
          !result ? h(Note, null, "Quantize the model first.") : null,
          h(ErrorBox, { error: runBoth.error }),
          runResult
            ? h(
                "div",
                null,
                h(
                  Stats,
                  null,
                  h(Stat, { id: "ox-ms-float", label: "Float", value: formatMs(runResult.float.medianMs) }),
                  h(Stat, {
                    id: "ox-ms-quant",
                    label: result?.mode ?? "quantized",
                    value: formatMs(runResult.quantized.medianMs),
                    tone: "accent",
                  }),
                  h(Stat, {
                    id: "ox-speed",
                    label: "Speed",
                    value: `${formatSig(runResult.float.medianMs / Math.max(1e-6, runResult.quantized.medianMs), 3)}×`,
                    hint: "float time ÷ quantized time",
                  }),
                ),
                h(DataTable, {
                  id: "ox-compare",
                  head: [
                    "output",
                    "shape",
                    "float (first values)",
                    "quantized (first values)",
                    "SQNR",
                    "max |diff|",
                  ],
                  numeric: [false, false, false, false, true, true],
                  rows: runResult.compare.map((c, i) => [
                    h("code", null, c.name),
                    `[${runResult.float.outputs[i]?.dims.join(", ")}]`,
                    runResult.float.outputs[i]?.head.map((v) => formatSig(v, 3)).join(", ") ?? "",
                    runResult.quantized.outputs
                      .find((o) => o.name === c.name)
                      ?.head.map((v) => formatSig(v, 3))
                      .join(", ") ?? "",
                    db(c.sqnrDb),
                    formatSig(c.maxAbsDiff, 3),
                  ]),
                }),
              )
            : null,
        )
      : null,
  );
}
