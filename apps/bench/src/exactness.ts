/**
 * Exactness as the bench records it: the lines the CLI and the dashboard show of the records (each an
 * implementation's outputs compared with the slow reference's, output by output, by compareOutputs of
 * packages/kernels/bench/gemmExactness.ts). Pure TypeScript (no Node imports): the dashboard reads it too.
 */
import type { BenchResultFile, Exactness } from "./schema";

const count = (x: number) => x.toLocaleString("en-US");

/**
 * What one record says, in words.
 *
 * @example
 * describeExactness({ equal: false, outputs: 262144, differing: 2431, maxAbsDiff: 14287 });
 * // "2,431 of 262,144 outputs differ from the reference (by up to 14,287)"
 */
export function describeExactness(
  e: Pick<Exactness, "equal" | "outputs" | "differing" | "maxAbsDiff">,
): string {
  return e.equal
    ? `equal to the reference on all ${count(e.outputs)} outputs`
    : `${count(e.differing)} of ${count(e.outputs)} outputs differ from the reference (by up to ${count(e.maxAbsDiff)})`;
}

/** One implementation and backend of one suite, its records summed over shapes. */
export interface ExactnessSummary {
  suite: string;
  label: string;
  impl: string;
  backend: string;
  /** Shapes (records) and how many of them were inexact. */
  cases: number;
  inexactCases: number;
  outputs: number;
  differing: number;
  maxAbsDiff: number;
  /** e.g. "onnxruntime-node MatMulInteger (ort-cpu): 2,431 of 262,144 outputs differ on this CPU, 3 of 4 shapes". */
  text: string;
}

/**
 * The run's exactness records summed per suite, implementation and backend, inexact ones first: the
 * CLI's closing lines and the dashboard's summary. Suites without records (files written before the
 * bench recorded exactness, skipped suites) give none.
 *
 * @example
 * summarizeExactness(run).map((s) => s.text);
 * // ["onnxruntime-node MatMulInteger (ort-cpu): 2,431 of 262,144 outputs differ on this CPU, 3 of 4 shapes", …]
 */
export function summarizeExactness(run: BenchResultFile): ExactnessSummary[] {
  const groups = new Map<string, ExactnessSummary>();
  for (const s of run.suites) {
    for (const e of s.exactness ?? []) {
      const key = JSON.stringify([s.id, e.label, e.backend]);
      const g = groups.get(key) ?? {
        suite: s.id,
        label: e.label,
        impl: e.impl,
        backend: e.backend,
        cases: 0,
        inexactCases: 0,
        outputs: 0,
        differing: 0,
        maxAbsDiff: 0,
        text: "",
      };
      g.cases++;
      if (!e.equal) g.inexactCases++;
      g.outputs += e.outputs;
      g.differing += e.differing;
      g.maxAbsDiff = Math.max(g.maxAbsDiff, e.maxAbsDiff);
      groups.set(key, g);
    }
  }
  const shapes = (n: number) => `${n} shape${n === 1 ? "" : "s"}`;
  for (const g of groups.values()) {
    g.text =
      g.differing === 0
        ? `${g.label} (${g.backend}): equal to the reference on all ${count(g.outputs)} outputs, ${shapes(g.cases)}`
        : `${g.label} (${g.backend}): ${count(g.differing)} of ${count(g.outputs)} outputs differ on this CPU, ${g.inexactCases} of ${shapes(g.cases)} (by up to ${count(g.maxAbsDiff)})`;
  }
  return [...groups.values()].sort((x, y) => Number(y.differing > 0) - Number(x.differing > 0));
}
