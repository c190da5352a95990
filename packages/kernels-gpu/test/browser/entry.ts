/**
 * The browser side of gpu.browser.test.ts: bundled with the package source and the shared cases,
 * it runs the conformance cases on a backend inside Chromium and reports what ran.
 */
import { createGpuKernels, type GpuBackend } from "../../src/index";
import { conformanceCases } from "../_cases";
import { type CaseResult, runCase } from "../_runCase";

/** What one run reports back to Node. */
export interface BrowserRun {
  requested: GpuBackend;
  backend: string;
  results: CaseResult[];
  /** The error a synchronous call raised (WebGPU has no synchronous readback). */
  syncError?: string;
}

async function runConformance(backend: GpuBackend, useAsync: boolean): Promise<BrowserRun> {
  const kernels = createGpuKernels({ backend });
  const run: BrowserRun = { requested: backend, backend: kernels.backend, results: [] };
  try {
    for (const c of conformanceCases()) run.results.push(await runCase(kernels, c, useAsync));
    if (useAsync) {
      try {
        kernels.matmulInteger(new Uint8Array([1]), new Int8Array([1]), { m: 1, k: 1, n: 1 });
      } catch (e) {
        run.syncError = e instanceof Error ? e.message : String(e);
      }
    }
    run.backend = kernels.backend;
  } finally {
    await kernels.destroy();
  }
  return run;
}

(globalThis as unknown as { runConformance: typeof runConformance }).runConformance = runConformance;
