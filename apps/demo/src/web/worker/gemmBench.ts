/**
 * Section 7's timing job: one m = k = n integer GEMM (uint8 x int8 -> int32, B laid out as a Linear
 * layer's weight) and its fp32 twin on @quantkit/kernels' CPU kernels and on @quantkit/kernels-gpu's
 * gpu.js WebGL2 kernels, each warmed up then timed over `reps` runs, and the integer results checked
 * equal bit for bit across backends.
 */
import { Rng } from "@quantkit/tensor";
import { gemmGops, summarizeTimings, type TimingSummary } from "../lib/timing";
import type { JobContext } from "./dispatcher";

export interface GemmBenchInput {
  /** m = k = n, 16..1024. */
  size: number;
  /** Timed runs per kernel (after one warm-up), 1..50. */
  reps: number;
  seed?: number;
}

export interface GemmBenchProgress {
  /** What runs now. */
  step: string;
  /** Fraction of the whole job done, 0..1. */
  fraction: number;
}

export interface GemmBenchRow {
  id: string;
  label: string;
  /** The backend that actually ran, as the kernels report it ("wasm-simd", "js", "webgl2"…). */
  backend: string;
  dtype: "int8" | "fp32";
  /** Time of one call: each sample is a batch of `callsPerSample` calls divided by their number. */
  timing: TimingSummary;
  gops: number;
  callsPerSample: number;
}

/** The shortest timed sample, ms: 100 times the worker clock's 0.1 ms resolution. */
const MIN_SAMPLE_MS = 10;

export interface GemmBenchOutput {
  size: number;
  reps: number;
  rows: GemmBenchRow[];
  /** The GPU integer result equals the CPU one bit for bit (null when the GPU did not run). */
  gpuIntEqual: boolean | null;
  /** The plain-JS CPU integer result equals the WebAssembly one. */
  jsIntEqual: boolean;
  /** Largest |gpu - cpu| / max|cpu| of the fp32 products (float sums differ in order; null without GPU). */
  fp32RelDiff: number | null;
  /** Why the GPU kernels could not run, if they could not. */
  gpuError: string | null;
  gpuBackend: string | null;
}

function equalInt32(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function gemmBench(
  input: GemmBenchInput,
  ctx: JobContext<GemmBenchProgress>,
): Promise<GemmBenchOutput> {
  const { size, reps, seed = 1 } = input;
  if (!Number.isInteger(size) || size < 16 || size > 1024)
    throw new RangeError(`size must be an integer in 16..1024, got ${size}`);
  if (!Number.isInteger(reps) || reps < 1 || reps > 50)
    throw new RangeError(`reps must be an integer in 1..50, got ${reps}`);
  ctx.progress({ step: "loading the kernels", fraction: 0 });
  const [{ createCpuKernels, initWasmKernels }, gpuModule] = await Promise.all([
    import("@quantkit/kernels"),
    import("@quantkit/kernels-gpu"),
  ]);
  await initWasmKernels();
  const cpu = createCpuKernels();
  const js = createCpuKernels({ simd: false });

  const m = size;
  const k = size;
  const n = size;
  const rng = new Rng(seed);
  const a = new Uint8Array(m * k);
  const b = new Int8Array(n * k);
  for (let i = 0; i < a.length; i++) a[i] = rng.int(256);
  for (let i = 0; i < b.length; i++) b[i] = rng.int(256) - 128;
  const aZeroPoint = 128;
  const af = Float32Array.from(a, (v) => (v - aZeroPoint) / 64);
  const bf = Float32Array.from(b, (v) => v / 64);
  const intOptions = { m, k, n, aZeroPoint, transB: true };
  const f32Options = { m, k, n, transB: true };

  let gpu: import("@quantkit/kernels-gpu").GpuKernels | null = null;
  let gpuError: string | null = null;
  try {
    gpu = gpuModule.createGpuKernels({ backend: "webgl2" });
  } catch (e) {
    gpuError = (e as Error).message;
  }

  type Kernel = {
    id: string;
    label: string;
    backend: string;
    dtype: "int8" | "fp32";
    run: () => Int32Array | Float32Array;
  };
  const kernels: Kernel[] = [
    {
      id: "cpu-int8",
      label: "CPU int8",
      backend: cpu.backend,
      dtype: "int8",
      run: () => cpu.matmulInteger(a, b, intOptions),
    },
    {
      id: "cpu-fp32",
      label: "CPU fp32",
      backend: cpu.backend,
      dtype: "fp32",
      run: () => cpu.matmulF32(af, bf, f32Options),
    },
    {
      id: "js-int8",
      label: "CPU int8, plain JS",
      backend: js.backend,
      dtype: "int8",
      run: () => js.matmulInteger(a, b, intOptions),
    },
  ];
  if (gpu) {
    const g = gpu;
    kernels.push(
      {
        id: "gpu-int8",
        label: "GPU int8",
        backend: g.backend,
        dtype: "int8",
        run: () => g.matmulInteger(a, b, intOptions),
      },
      {
        id: "gpu-fp32",
        label: "GPU fp32",
        backend: g.backend,
        dtype: "fp32",
        run: () => g.matmulF32(af, bf, f32Options),
      },
    );
  }

  const rows: GemmBenchRow[] = [];
  const results = new Map<string, Int32Array | Float32Array>();
  const total = kernels.length * (reps + 1);
  let done = 0;
  try {
    for (const kernel of kernels) {
      ctx.progress({
        step: `${kernel.label} (${kernel.backend}): warm-up${kernel.id.startsWith("gpu") ? " and shader compile" : ""}`,
        fraction: done / total,
      });
      await ctx.checkpoint();
      results.set(kernel.id, kernel.run());
      // A worker's clock ticks in 0.1 ms steps (Chromium coarsens performance.now without cross-origin
      // isolation), so a fast kernel is timed over a batch of calls lasting at least MIN_SAMPLE_MS.
      const t = performance.now();
      kernel.run();
      const once = performance.now() - t;
      const inner = Math.max(1, Math.min(1000, Math.ceil(MIN_SAMPLE_MS / Math.max(once, 0.01))));
      done++;
      const samples: number[] = [];
      for (let r = 0; r < reps; r++) {
        ctx.progress({
          step: `${kernel.label} (${kernel.backend}): run ${r + 1} of ${reps}${inner > 1 ? ` (${inner} calls)` : ""}`,
          fraction: done / total,
        });
        await ctx.checkpoint();
        const t0 = performance.now();
        for (let i = 0; i < inner; i++) kernel.run();
        samples.push((performance.now() - t0) / inner);
        done++;
      }
      const timing = summarizeTimings(samples);
      rows.push({
        id: kernel.id,
        label: kernel.label,
        backend: kernel.backend,
        dtype: kernel.dtype,
        timing,
        gops: gemmGops(m, k, n, Math.max(timing.medianMs, 1e-3)),
        callsPerSample: inner,
      });
    }
  } finally {
    await gpu?.destroy();
  }

  const cpuInt = results.get("cpu-int8") as Int32Array;
  const gpuInt = results.get("gpu-int8") as Int32Array | undefined;
  let fp32RelDiff: number | null = null;
  const cpuF = results.get("cpu-fp32") as Float32Array;
  const gpuF = results.get("gpu-fp32") as Float32Array | undefined;
  if (gpuF) {
    let maxAbs = 0;
    let maxDiff = 0;
    for (let i = 0; i < cpuF.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(cpuF[i]!));
      maxDiff = Math.max(maxDiff, Math.abs(cpuF[i]! - gpuF[i]!));
    }
    fp32RelDiff = maxAbs > 0 ? maxDiff / maxAbs : maxDiff;
  }
  ctx.progress({ step: "done", fraction: 1 });
  return {
    size,
    reps,
    rows,
    gpuIntEqual: gpuInt ? equalInt32(cpuInt, gpuInt) : null,
    jsIntEqual: equalInt32(cpuInt, results.get("js-int8") as Int32Array),
    fp32RelDiff,
    gpuError,
    gpuBackend: gpu ? gpu.backend : null,
  };
}
