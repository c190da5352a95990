// What onnxruntime-node makes of a model: the op types of its optimized graph, counted. onnxruntime-web
// runs the same graph transformers (QDQ fusions included) for its CPU provider.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { readModel } from "../src/readModel";

/** The op types of onnxruntime-node's optimized graph of `bytes` (level "all" by default), counted. */
export async function optimizedOps(
  bytes: Uint8Array,
  level: "extended" | "all" = "all",
): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "quantkit-optimized-"));
  try {
    const path = join(dir, "optimized.onnx");
    const s = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: level,
      optimizedModelFilePath: path,
      logSeverityLevel: 3,
    });
    await s.release();
    const counts = new Map<string, number>();
    for (const n of readModel(readFileSync(path)).graph!.node)
      counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
