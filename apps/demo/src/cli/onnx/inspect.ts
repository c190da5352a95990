import { stat } from "node:fs/promises";
import { type Dim, dataTypeName, inspect, type ModelReport } from "@quantkit/onnx";
import { readModelFile } from "@quantkit/onnx/node";
import type { CliIo } from "../io";
import { layoutTable } from "../table";

/** The flags of `quantkit onnx inspect`. */
export interface OnnxInspectOptions {
  json: boolean;
}

/** What `quantkit onnx inspect --json` prints: @quantkit/onnx's `inspect` report plus the file. */
export interface OnnxInspectJson extends ModelReport {
  file: string;
  /** Size of the .onnx file itself (external data files not counted). */
  fileBytes: number;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** "float32 [batch, 3, 224, 224]", "int64 [1]", "float32 (unknown shape)". */
export function formatValueType(v: { elemType?: number; shape?: Dim[] | undefined }): string {
  let type = "?";
  if (v.elemType !== undefined) {
    try {
      type = dataTypeName(v.elemType);
    } catch {
      type = `type ${v.elemType}`;
    }
  }
  const shape = v.shape === undefined ? "(unknown shape)" : `[${v.shape.map((d) => d ?? "?").join(", ")}]`;
  return `${type} ${shape}`;
}

/** The text `quantkit onnx inspect` prints for a report. */
export function formatInspect(r: OnnxInspectJson): string {
  const opsets = Object.entries(r.opsets)
    .map(([d, v]) => `${d === "" ? "ai.onnx" : d} ${v}`)
    .join(", ");
  const lines = [
    `${r.file}: ${int(r.fileBytes)} bytes; IR ${r.irVersion}; opsets ${opsets || "none"}${r.producer ? `; producer ${r.producer}` : ""}`,
    `graphs ${r.graphs} (main${r.graphs > 1 ? ` + ${r.graphs - 1} subgraph${r.graphs > 2 ? "s" : ""}` : ""}), nodes ${int(r.nodes)}, weights ${int(r.weights)} (${int(r.parameters)} parameters, ${int(r.weightBytes)} bytes${r.externalBytes > 0 ? `, ${int(r.externalBytes)} in external data` : ""})`,
    "",
    "inputs:",
    ...r.inputs.map((v) => `  ${v.name}  ${formatValueType(v)}`),
    "outputs:",
    ...r.outputs.map((v) => `  ${v.name}  ${formatValueType(v)}`),
    "",
    layoutTable(
      [
        ["dtype", "tensors", "parameters", "bytes"],
        ...Object.entries(r.dtypes).map(([name, s]) => [
          name,
          int(s.tensors),
          int(s.parameters),
          int(s.sizeBytes),
        ]),
      ],
      new Set([1, 2, 3]),
    ),
    "",
    layoutTable([["op", "nodes"], ...Object.entries(r.ops).map(([op, n]) => [op, int(n)])], new Set([1])),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * `quantkit onnx inspect FILE`: reads the model (and its external data) and prints @quantkit/onnx's
 * `inspect` report: operators and counts in every graph, parameters and bytes per dtype, opsets,
 * inputs and outputs. Errors (not ONNX, truncated, missing file) name the file.
 */
export async function onnxInspectCommand(file: string, opts: OnnxInspectOptions, io: CliIo): Promise<number> {
  const model = await readModelFile(file);
  const report: OnnxInspectJson = { file, fileBytes: (await stat(file)).size, ...inspect(model) };
  io.out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspect(report));
  return 0;
}
