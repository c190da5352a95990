import type { QuantizationReport } from "@quantkit/onnx";
import { layoutTable } from "../table";

/** What `quantkit onnx quantize --json` prints. */
export interface OnnxQuantizeJson {
  input: string;
  output: string;
  mode: string;
  perChannel: boolean;
  /** q4: weights per block and the method. */
  blockSize?: number;
  method?: string;
  /** The input file's size and the written file's. */
  fileBytesBefore: number;
  fileBytesAfter: number;
  quantizeMs: number;
  /** Loading the result in onnxruntime-node and, with samples, running both models on them. */
  evaluateMs: number;
  /** Samples from --calibration (int8 calibrated on them; every mode's SQNR is measured on them). */
  samples: number;
  /** SQNR (dB) of each float32 graph output against the float model's; empty without samples; null (JSON) when equal. */
  outputSqnrDb: Record<string, number>;
  /** @quantkit/onnx's report: every node, how it runs now or why it stayed float, per-node SQNR where measured. */
  report: QuantizationReport;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const db = (x: number | undefined) =>
  x === undefined ? "" : Number.isFinite(x) ? `${x.toFixed(1)} dB` : x > 0 ? "exact" : "-inf dB";

/** The text `quantkit onnx quantize` prints: sizes, SQNR, the quantized nodes, what stayed float and why. */
export function formatQuantizeReport(r: OnnxQuantizeJson): string {
  const nodes = r.report.nodes;
  const quantized = nodes.filter((n) => n.quantized);
  const float = nodes.filter((n) => !n.quantized);
  const lines = [
    `${r.input} -> ${r.output} (${r.mode}, ${r.blockSize !== undefined ? `blocks of ${r.blockSize}, ${r.method}` : `${r.perChannel ? "per-channel" : "per-tensor"} weights`})`,
    `size: ${int(r.fileBytesBefore)} -> ${int(r.fileBytesAfter)} bytes (${((100 * r.fileBytesAfter) / r.fileBytesBefore).toFixed(1)}%); quantized in ${(r.quantizeMs / 1000).toFixed(2)} s; loads in onnxruntime-node`,
  ];
  const outs = Object.entries(r.outputSqnrDb);
  lines.push(
    outs.length === 0
      ? "SQNR: not measured (give --calibration DIR of input samples)"
      : `SQNR of the outputs against the float model on ${r.samples} sample${r.samples === 1 ? "" : "s"}: ${outs.map(([n, v]) => `${n} ${db(v)}`).join(", ")}`,
  );
  lines.push("", `quantized nodes: ${quantized.length} of ${nodes.length}`);
  if (quantized.length > 0) {
    lines.push(
      layoutTable(
        [
          ["node", "op", "graph", "runs as", "SQNR"],
          ...quantized.map((n) => [n.name, n.opType, n.graph, n.detail, db(n.sqnrDb)]),
        ],
        new Set([4]),
      ),
    );
  }
  const why = new Map<string, string[]>();
  for (const n of float) why.set(n.detail, [...(why.get(n.detail) ?? []), n.name]);
  lines.push("", `left float: ${float.length} node${float.length === 1 ? "" : "s"}`);
  for (const [reason, names] of [...why].sort((a, b) => b[1].length - a[1].length)) {
    const shown = names.slice(0, 4).join(", ") + (names.length > 4 ? `, ... (${names.length - 4} more)` : "");
    lines.push(`  ${String(names.length).padStart(4)}  ${reason}: ${shown}`);
  }
  return `${lines.join("\n")}\n`;
}
