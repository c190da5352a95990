import type { Float16Report, QuantizationReport } from "@quantkit/onnx";
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
  /** q4: the op types quantized (MatMul; Gather for embedding tables). */
  opTypes?: string[];
  /** int8: the activation observer. */
  calibrator?: string;
  /** --keep-float: the nodes kept float by sensitivity and what each wins back (dB of output SQNR). */
  keptFloat?: { node: string; opType: string; gainDb: number }[];
  /** Default-domain opset of the input and of the result (q8 and int8 upgrade opsets below 11 / 13 to 13). */
  opsetBefore: number;
  opsetAfter: number;
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
  /**
   * @quantkit/onnx's report: for q8, int8 and q4 every node, how it runs now or why it stayed float, and
   * per-node SQNR where measured; for fp16 the weights converted, the nodes kept float32 and the values
   * that did not fit float16.
   */
  report: QuantizationReport | Float16Report;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const db = (x: number | undefined) =>
  x === undefined ? "" : Number.isFinite(x) ? `${x.toFixed(1)} dB` : x > 0 ? "exact" : "-inf dB";

function _settings(r: OnnxQuantizeJson): string {
  if (r.mode === "fp16") return "fp16, float32 inputs and outputs kept";
  if (r.blockSize !== undefined)
    return `${r.mode}, blocks of ${r.blockSize}, ${r.method}${r.opTypes?.includes("Gather") ? ", embeddings too" : ""}`;
  const w = `${r.perChannel ? "per-channel" : "per-tensor"} weights`;
  return r.calibrator !== undefined
    ? `${r.mode}, ${w}, ${r.calibrator} activation ranges`
    : `${r.mode}, ${w}`;
}

const _names = (names: readonly string[], n = 4) =>
  names.slice(0, n).join(", ") + (names.length > n ? `, ... (${names.length - n} more)` : "");

function _float16Lines(f: Float16Report): string[] {
  const lines = [
    `converted: ${int(f.tensorsConverted)} weights (${int(f.parametersConverted)} parameters) to float16; ${int(f.castsInserted)} Casts inserted`,
    `kept float32: ${f.blockedNodes.length} node${f.blockedNodes.length === 1 ? "" : "s"}, ${f.keptFloat32.length} weight${f.keptFloat32.length === 1 ? "" : "s"}`,
  ];
  const why = new Map<string, string[]>();
  for (const n of f.blockedNodes) {
    const reason = n.reason ?? `${n.opType} is on the float16 block list`;
    why.set(reason, [...(why.get(reason) ?? []), n.name]);
  }
  for (const [reason, names] of why)
    lines.push(`  ${String(names.length).padStart(4)}  ${reason}: ${_names(names)}`);
  for (const v of f.overflow)
    lines.push(
      `overflow: ${v.tensor} (${v.path}, read by ${_names(v.nodes, 2)}): ${v.count} values beyond ±65504, largest ${v.magnitude.toPrecision(4)}: ${v.action}`,
    );
  if (f.tiny.length > 0)
    lines.push(
      `tiny: ${f.tiny.reduce((a, v) => a + v.count, 0)} non-zero values in ${f.tiny.length} weights below float16's range, raised to the smallest kept (${_names(
        f.tiny.map((v) => v.tensor),
        3,
      )})`,
    );
  for (const w of f.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/** The text `quantkit onnx quantize` prints: sizes, SQNR, the quantized nodes, what stayed float and why. */
export function formatQuantizeReport(r: OnnxQuantizeJson): string {
  const lines = [
    `${r.input} -> ${r.output} (${_settings(r)})`,
    `size: ${int(r.fileBytesBefore)} -> ${int(r.fileBytesAfter)} bytes (${((100 * r.fileBytesAfter) / r.fileBytesBefore).toFixed(1)}%); quantized in ${(r.quantizeMs / 1000).toFixed(2)} s; loads in onnxruntime-node${r.opsetAfter !== r.opsetBefore ? `; opset ${r.opsetBefore} upgraded to ${r.opsetAfter}` : ""}`,
  ];
  const outs = Object.entries(r.outputSqnrDb);
  lines.push(
    outs.length === 0
      ? "SQNR: not measured (give --calibration DIR of input samples)"
      : `SQNR of the outputs against the float model on ${r.samples} sample${r.samples === 1 ? "" : "s"}: ${outs.map(([n, v]) => `${n} ${db(v)}`).join(", ")}`,
  );
  if (r.keptFloat !== undefined)
    lines.push(
      r.keptFloat.length === 0
        ? "kept float by sensitivity: none (no node's float copy improved the outputs)"
        : `kept float by sensitivity: ${r.keptFloat.map((n) => `${n.node} (+${n.gainDb.toFixed(1)} dB)`).join(", ")}`,
    );
  if (!("nodes" in r.report)) return `${[...lines, "", ..._float16Lines(r.report)].join("\n")}\n`;
  const nodes = r.report.nodes;
  const quantized = nodes.filter((n) => n.quantized);
  const float = nodes.filter((n) => !n.quantized);
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
  for (const [reason, names] of [...why].sort((a, b) => b[1].length - a[1].length))
    lines.push(`  ${String(names.length).padStart(4)}  ${reason}: ${_names(names)}`);
  return `${lines.join("\n")}\n`;
}
