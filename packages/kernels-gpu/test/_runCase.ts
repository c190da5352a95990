/**
 * Runs a conformance case on a GpuKernels object and compares it with the expected values:
 * the number of mismatching elements and the first few, for a clear failure message.
 */
import type { GpuKernels } from "../src/index";
import type { ConformanceCase } from "./_conformanceCase";

/** The outcome of one case. */
export interface CaseResult {
  name: string;
  /** The backend the kernels reported after the case ran. */
  backend: string;
  type: string;
  length: number;
  mismatches: number;
  /** Up to 5 mismatches as [index, actual, expected]. */
  first: [number, number, number][];
  error?: string;
}

/** Calls the case's method (its `*Async` twin when `useAsync`) and compares. */
export async function runCase(
  kernels: GpuKernels,
  c: ConformanceCase,
  useAsync: boolean,
): Promise<CaseResult> {
  const method = (useAsync ? `${c.op}Async` : c.op) as keyof GpuKernels;
  const fn = kernels[method] as unknown as (...args: unknown[]) => unknown;
  const result: CaseResult = {
    name: c.name,
    backend: kernels.backend,
    type: "",
    length: 0,
    mismatches: 0,
    first: [],
  };
  let actual: ArrayLike<number>;
  try {
    actual = (await fn.apply(kernels, c.args)) as ArrayLike<number>;
  } catch (e) {
    result.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    result.backend = kernels.backend;
    return result;
  }
  result.backend = kernels.backend;
  result.type = (actual as object).constructor.name;
  result.length = actual.length;
  const n = Math.max(actual.length, c.expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    const e = c.expected[i] as number;
    const ok = c.tolerance === undefined ? Object.is(a, e) || a === e : Math.abs(a - e) <= c.tolerance[i]!;
    if (!ok) {
      result.mismatches++;
      if (result.first.length < 5) result.first.push([i, a, e]);
    }
  }
  return result;
}
