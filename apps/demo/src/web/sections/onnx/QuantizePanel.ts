/**
 * Section 11's second panel: quantize the model (fp16, q8, int8, q4, q4f16) with @quantkit/onnx in
 * the worker; the sizes, the outputs' SQNR against the float model, every quantized node and the
 * nodes left float by reason, and the file to download.
 */
import type { WeightOnlyMethod } from "@quantkit/onnx";
import { h, type JSX } from "preact";
import { formatBytes, formatInt, formatMs, formatSig } from "../../lib/format";
import type { ModelSummary, OnnxMode, QuantizeOutput } from "../../onnx/jobs";
import { Q4Controls } from "../../onnx/Q4Controls";
import { PAGE_MODES } from "../../onnx/quantizeModel";
import type { useOnnxJob } from "../../onnx/useOnnxJob";
import { Controls, RunButton, Segmented, Select } from "../../ui/controls";
import { DataTable, ErrorBox, Panel, ProgressBar, Stat, Stats } from "../../ui/layout";
import { formatDb } from "./formatDb";

export function QuantizePanel(props: {
  summary: ModelSummary;
  mode: OnnxMode;
  onMode: (mode: OnnxMode) => void;
  perChannel: boolean;
  onPerChannel: (perChannel: boolean) => void;
  method: WeightOnlyMethod;
  onMethod: (method: WeightOnlyMethod) => void;
  blockSize: number;
  onBlockSize: (blockSize: number) => void;
  /** q4 / q4f16: the embedding tables (Gather) too. */
  embeddings: boolean;
  onEmbeddings: (embeddings: boolean) => void;
  quantize: ReturnType<typeof useOnnxJob<"quantize">>;
  onQuantize: () => Promise<void>;
  result: QuantizeOutput | undefined;
  download: string | undefined;
}): JSX.Element {
  const { summary, mode, perChannel, method, blockSize, embeddings, quantize, result, download } = props;
  const q4 = mode === "q4" || mode === "q4f16";
  const quantizedNodes = result?.nodes.filter((n) => n.quantized) ?? [];
  const floatNodes = result?.nodes.filter((n) => !n.quantized) ?? [];
  const floatReasons = [
    ...floatNodes.reduce(
      (m, n) => m.set(n.detail, [...(m.get(n.detail) ?? []), n.name]),
      new Map<string, string[]>(),
    ),
  ].sort((a, b) => b[1].length - a[1].length);
  const outName = `${summary.name.replace(/\.onnx$/i, "")}.${result?.mode ?? mode}.onnx`;
  return h(
    Panel,
    {
      title: "Quantize",
      sub: "fp16 halves the weights; q8 stores int8 weights and quantizes activations at run time (ONNX Runtime's dynamic quantization); int8 also fixes the activation ranges, calibrated on eight seeded draws of the example input below (static QDQ); q4 stores MatMul weights as 4-bit blocks (MatMulNBits; rtn, gptq, awq or hqq, gptq and awq weighing the error by the layer inputs on those draws) and, when asked, the embedding tables a Gather reads as 4-bit blocks along each row (GatherBlockQuantized), q4f16 the same with float16 scales and float16 compute. The error is measured against the float model on those same draws.",
    },
    h(
      Controls,
      null,
      h(Segmented<OnnxMode>, {
        id: "ox-mode",
        label: "Mode",
        value: mode,
        options: PAGE_MODES.map((m) => ({ value: m.mode, label: m.label, title: m.title })),
        onChange: props.onMode,
      }),
      q4
        ? h(Q4Controls, {
            method,
            blockSize,
            embeddings,
            onMethod: props.onMethod,
            onBlockSize: props.onBlockSize,
            onEmbeddings: props.onEmbeddings,
          })
        : h(Select<string>, {
            id: "ox-granularity",
            label: "Weight scales",
            value: perChannel ? "channel" : "tensor",
            options: [
              { value: "channel", label: "per channel" },
              { value: "tensor", label: "per tensor" },
            ],
            onChange: (v) => props.onPerChannel(v === "channel"),
          }),
      h(RunButton, {
        id: "ox-quantize",
        label: "Quantize",
        running: quantize.running,
        onClick: () => void props.onQuantize(),
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
              label: `${result.mode}${result.opTypes?.includes("Gather") ? " + embeddings" : ""} file`,
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
              formatDb(v),
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
              n.sqnrDb === undefined ? "" : formatDb(n.sqnrDb),
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
  );
}
