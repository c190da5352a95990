// Inference time of a float model against its quantized copy in onnxruntime-node and onnxruntime-web
// (WASM), one thread each, in the same process: warm-up, then float and quantized runs alternate on the
// same inputs (a load change on a shared machine hits both alike), median per model, and their ratio.
// And what onnxruntime-node made of the quantized model: the op types of its optimized graph.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { type EngineFeeds, type InferenceEngine, ortEngine, readModel } from "../src/index";

ortWeb.env.wasm.numThreads = 1;
export const ENGINES: Readonly<Record<"node" | "web", InferenceEngine>> = {
  node: ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1 } }),
  web: ortEngine(ortWeb, { sessionOptions: { executionProviders: ["wasm"] } }),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface Speed {
  floatMs: number;
  quantMs: number;
  /** floatMs / quantMs: above 1 the quantized model is faster. */
  speedup: number;
  /** The fastest run of each: on a loaded machine the least disturbed one. */
  floatMinMs: number;
  quantMinMs: number;
  minSpeedup: number;
  runs: number;
}

/** Median ms per run of both models on `feeds`, alternating, `rounds` times over them after `warmup` runs. */
export async function compareSpeed(
  engine: InferenceEngine,
  floatBytes: Uint8Array,
  quantBytes: Uint8Array,
  feeds: readonly EngineFeeds[],
  rounds: number,
  warmup = 3,
): Promise<Speed> {
  const a = await engine.createSession(floatBytes);
  const b = await engine.createSession(quantBytes);
  try {
    for (let i = 0; i < warmup; i++) {
      await a.run(feeds[i % feeds.length]!);
      await b.run(feeds[i % feeds.length]!);
    }
    const fa: number[] = [];
    const fb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const [k, f] of feeds.entries()) {
        // alternate which goes first, so neither always runs on a cache the other warmed
        const first = (r + k) % 2 === 0;
        for (const s of first ? [a, b] : [b, a]) {
          const t0 = performance.now();
          await s.run(f);
          (s === a ? fa : fb).push(performance.now() - t0);
        }
      }
    }
    const floatMs = median(fa);
    const quantMs = median(fb);
    const floatMinMs = Math.min(...fa);
    const quantMinMs = Math.min(...fb);
    return {
      floatMs,
      quantMs,
      speedup: floatMs / quantMs,
      floatMinMs,
      quantMinMs,
      minSpeedup: floatMinMs / quantMinMs,
      runs: fa.length,
    };
  } finally {
    await a.release?.();
    await b.release?.();
  }
}

/**
 * The op types of onnxruntime-node's optimized graph (level "all", one thread, this CPU), subgraphs
 * included, most frequent first: what stayed float and which QuantizeLinear / DequantizeLinear survived.
 */
export async function optimizedOps(bytes: Uint8Array): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "quantkit-onnx-optimized-"));
  try {
    const path = join(dir, "optimized.onnx");
    ortNode.env.logLevel = "error";
    const s = await ortNode.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      graphOptimizationLevel: "all",
      optimizedModelFilePath: path,
      logSeverityLevel: 3,
    });
    await s.release();
    const m = readModel(new Uint8Array(readFileSync(path)));
    const counts: Record<string, number> = {};
    const walk = (nodes: NonNullable<typeof m.graph>["node"]): void => {
      for (const n of nodes) {
        const k = n.domain === "" ? n.opType : `${n.domain.replace(/^com\.microsoft/, "ms")}:${n.opType}`;
        counts[k] = (counts[k] ?? 0) + 1;
        for (const a of n.attribute) if (a.g !== undefined) walk(a.g.node);
      }
    };
    walk(m.graph!.node);
    return Object.fromEntries(Object.entries(counts).sort((x, y) => y[1] - x[1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
