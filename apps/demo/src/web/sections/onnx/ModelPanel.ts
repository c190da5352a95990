/**
 * Section 11's first panel: drop or pick an .onnx file, or load the example (Silero VAD v5); the
 * model's size, parameters, nodes and operators.
 */
import { h, type JSX } from "preact";
import { useState } from "preact/hooks";
import { formatBytes, formatInt } from "../../lib/format";
import type { ModelSummary } from "../../onnx/jobs";
import { Controls, RunButton } from "../../ui/controls";
import { ErrorBox, Panel, Stat, Stats } from "../../ui/layout";

export function ModelPanel(props: {
  summary: ModelSummary | undefined;
  loading: boolean;
  error: Error | undefined;
  onFile: (file: File | undefined) => Promise<void>;
  onExample: () => Promise<void>;
}): JSX.Element {
  const { summary } = props;
  const [dragging, setDragging] = useState(false);
  return h(
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
          void props.onFile(e.dataTransfer?.files[0]);
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
            onChange: (e: Event) => void props.onFile((e.currentTarget as HTMLInputElement).files?.[0]),
          }),
        ),
        h(RunButton, {
          id: "ox-example",
          label: "Load the example (Silero VAD v5)",
          running: props.loading,
          onClick: () => void props.onExample(),
        }),
      ),
    ),
    h(ErrorBox, { error: props.error }),
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
  );
}
