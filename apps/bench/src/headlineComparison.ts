/**
 * The dashboard's headline chart: how much faster int8 runs than fp32 on each backend, and how
 * quantkit's int8 GEMM compares with onnxruntime-node's and onnxruntime-web's, from the run's paired
 * GEMM ratios (`gemm/int8-vs-fp32/<backend>/<shape>`, `gemm/int8-vs-ort/…`, `gemm/int8-vs-ort-web/…`).
 * Per backend the largest shape measured is shown. Plain data.
 */
import type { BenchResultFile } from "./schema";

/** One bar of the headline chart. */
export interface HeadlineBar {
  /** Which comparison: one of {@link HEADLINE_GROUPS}' labels. */
  group: string;
  backend: string;
  shape: string;
  suite: string;
  median: number;
  min: number;
  max: number;
}

/** The comparisons, in order: ratio id prefix and what the bar means. */
export const HEADLINE_GROUPS: readonly { prefix: string; label: string; peer: string | null }[] = [
  { prefix: "gemm/int8-vs-fp32/", label: "int8 / fp32, same backend", peer: null },
  { prefix: "gemm/int8-vs-ort/", label: "quantkit int8 / onnxruntime-node int8", peer: "onnxruntime-node" },
  { prefix: "gemm/int8-vs-ort-web/", label: "quantkit int8 / onnxruntime-web int8", peer: "onnxruntime-web" },
];

function _macs(shape: string): number {
  return shape.split("x").reduce((p, d) => p * (Number.parseInt(d, 10) || 1), 1);
}

/**
 * The bars, and a sentence for each comparison the run has no ratio for.
 *
 * @example
 * headlineComparison(run).bars.map((b) => `${b.group} ${b.backend}`) // ["int8 / fp32, same backend wasm-simd", …]
 */
export function headlineComparison(run: BenchResultFile): { bars: HeadlineBar[]; missing: string[] } {
  const bars: HeadlineBar[] = [];
  const missing: string[] = [];
  for (const g of HEADLINE_GROUPS) {
    const best = new Map<string, HeadlineBar>();
    for (const s of run.suites) {
      for (const r of s.ratios) {
        if (!r.id.startsWith(g.prefix)) continue;
        const rest = r.id.slice(g.prefix.length);
        const cut = rest.lastIndexOf("/");
        if (cut < 0) continue;
        const backend = rest.slice(0, cut);
        const shape = rest.slice(cut + 1);
        const bar = { group: g.label, backend, shape, suite: s.id, median: r.median, min: r.min, max: r.max };
        const prev = best.get(backend);
        if (!prev || _macs(shape) > _macs(prev.shape)) best.set(backend, bar);
      }
    }
    if (best.size === 0)
      missing.push(
        g.peer === null
          ? "int8 / fp32: no GEMM ratio in this run"
          : `${g.peer}: not measured in this run (no ${g.prefix}… ratio)`,
      );
    bars.push(...best.values());
  }
  return { bars, missing };
}
