/**
 * Section 11's last panel: the example input (editable), and the float and quantized models run side
 * by side in onnxruntime-web; their times and outputs compared.
 */
import { h, type JSX } from "preact";
import { formatMs, formatSig } from "../../lib/format";
import type { InputSpec } from "../../onnx/exampleInput";
import { InputRow } from "../../onnx/InputRow";
import type { QuantizeOutput, RunOutput } from "../../onnx/jobs";
import type { useOnnxJob } from "../../onnx/useOnnxJob";
import { Controls, RunButton } from "../../ui/controls";
import { DataTable, ErrorBox, Note, Panel, Stat, Stats } from "../../ui/layout";
import { formatDb } from "./formatDb";

export function RunPanel(props: {
  specs: InputSpec[];
  onSpecs: (specs: InputSpec[]) => void;
  runBoth: ReturnType<typeof useOnnxJob<"run">>;
  onRun: () => Promise<void>;
  result: QuantizeOutput | undefined;
  runResult: RunOutput | undefined;
}): JSX.Element {
  const { specs, runBoth, result, runResult } = props;
  return h(
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
              onChange: (next: InputSpec) => props.onSpecs(specs.map((x, j) => (j === i ? next : x))),
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
        onClick: () => void props.onRun(),
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
              formatDb(c.sqnrDb),
              formatSig(c.maxAbsDiff, 3),
            ]),
          }),
        )
      : null,
  );
}
