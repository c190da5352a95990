import type { GemmBenchReport } from "./gemmBenchTypes";

/** The report as a text table: one line per shape and variant, then the ratios. */
export function formatGemmReport(report: GemmBenchReport): string {
  const lines = [
    `node ${report.environment.node}, ${report.environment.cpu} (${report.environment.cores} cores), onnxruntime ${report.environment.onnxruntime ?? "-"}`,
    "shape         variant              median ms    min ms    max ms    G(FL)OP/s median [min, max]",
  ];
  for (const r of report.results) {
    const id = `${r.dtype} ${r.impl === "onnxruntime" ? "ort" : r.backend}${r.threads > 1 ? ` x${r.threads}` : ""}`;
    lines.push(
      `${r.shape.padEnd(13)} ${id.padEnd(20)} ${r.medianMs.toFixed(3).padStart(9)} ${r.minMs.toFixed(3).padStart(9)} ${r.maxMs.toFixed(3).padStart(9)}    ${r.gops.toFixed(2).padStart(7)} [${r.gopsMin.toFixed(2)}, ${r.gopsMax.toFixed(2)}]`,
    );
  }
  lines.push("", "int8 outputs against the plain-loop reference:");
  for (const e of report.exactness) {
    const id = `${e.impl === "onnxruntime" ? "ort" : e.backend}${e.threads > 1 ? ` x${e.threads}` : ""}`;
    const what = e.equal
      ? `equal on all ${e.outputs}`
      : `${e.differing} of ${e.outputs} differ (by up to ${e.maxAbsDiff})`;
    lines.push(`${e.shape.padEnd(13)} ${id.padEnd(20)} ${what}`);
  }
  lines.push("", "int8/fp32 throughput ratio (paired by round): median [min, max]");
  for (const q of report.ratios) {
    const id = `${q.backend}${q.threads > 1 ? ` x${q.threads}` : ""}`;
    lines.push(
      `${q.shape.padEnd(13)} ${id.padEnd(20)} ${q.median.toFixed(2)} [${q.min.toFixed(2)}, ${q.max.toFixed(2)}]`,
    );
  }
  return lines.join("\n");
}
