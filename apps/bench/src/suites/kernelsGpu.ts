import { availableGpuBackends, createGpuKernels, type GpuKernels } from "@quantkit/kernels-gpu";
import { Rng } from "@quantkit/tensor";
import {
  benchGpu,
  GPU_BENCH_SHAPES,
  type GpuBenchResult,
} from "../../../../packages/kernels-gpu/bench/gpu.bench";
import type { Suite, SuiteContext } from "../context";
import { benchEntry } from "../packageBench";
import { measureConv, measureGemm } from "./_gemm";
import { relabel } from "./_relabel";

/** Shapes of benchGpu per mode (names as GPU_BENCH_SHAPES has them); quick keeps the smallest cube and the MLP layer. */
const QUICK_SHAPES = new Set(["256^3", "MLP 10x784x100"]);
/** The shape of the paired rounds against the CPU's onnxruntime (a software GL makes larger ones slow). */
const PAIRED_SHAPES: Record<"quick" | "full", [number, number, number][]> = {
  quick: [[128, 128, 128]],
  full: [
    [128, 128, 128],
    [256, 256, 256],
  ],
};

const GMAC = { unit: "GMAC/s", per: 1e9 };

function stageTiming(
  ctx: SuiteContext,
  r: GpuBenchResult,
  stage: "upload" | "compute" | "readback" | "total",
  repeats: number,
): void {
  const t = r[stage];
  if (!(t.medianMs >= 0)) return;
  const { m, k, n, kernel } = r;
  const macs = m * k * n;
  const op =
    { matmulInteger: "gemm.int8", matmulF32: "gemm.fp32", quantizedLinear: "linear.int8" }[kernel] ?? kernel;
  const withThroughput = (stage === "total" || stage === "compute") && t.medianMs > 0;
  const tp = (ms: number) => macs / (ms / 1000) / GMAC.per;
  ctx.addTiming({
    id: `${op}/${r.backend}/${r.shape}/${stage}`,
    op: `${op} on gpu.js: ${stage === "total" ? "upload + compute + readback" : stage}`,
    impl: "quantkit",
    role: "quantkit",
    backend: `gpu.js ${r.backend}`,
    size: macs,
    sizeUnit: "MACs",
    shape: `${m}x${k}x${n}`,
    params: { kernel, stage, renderer: r.renderer, note: r.note },
    samples: repeats,
    iterationsPerSample: 1,
    medianMs: t.medianMs,
    minMs: Math.min(t.minMs, t.medianMs),
    maxMs: Math.max(t.maxMs, t.medianMs),
    throughput:
      withThroughput && t.minMs > 0
        ? {
            unit: GMAC.unit,
            median: tp(t.medianMs),
            min: tp(Math.max(t.maxMs, t.medianMs)),
            max: tp(Math.min(t.minMs, t.medianMs)),
          }
        : null,
  });
}

/**
 * @quantkit/kernels-gpu per gpu.js backend present: its benchGpu (upload, compute and readback timed
 * apart, per shape), and paired rounds of the GPU GEMMs against onnxruntime-node on the CPU. Both are
 * compared with a plain-loop reference first: the GPU GEMMs must equal it, onnxruntime's exactness is
 * recorded (it saturates on x86 CPUs without VNNI).
 */
export const kernelsGpuSuite: Suite = {
  id: "kernels-gpu",
  title: "gpu.js GEMM per backend: upload, compute, readback",
  package: "@quantkit/kernels-gpu",
  async run(ctx) {
    const bench = benchEntry(ctx.repoRoot, "packages/kernels-gpu/bench/gpu.bench.ts", benchGpu);
    // WebGPU runs only asynchronously and only in a browser; the rest are synchronous.
    const backends = availableGpuBackends().filter((b) => b !== "webgpu");
    if (backends.length === 0) return ctx.skip("gpu.js reports no backend available on this machine");
    if (!backends.includes("headlessgl")) {
      ctx.note(
        `no headless-gl here (${process.env.DISPLAY ? `DISPLAY=${process.env.DISPLAY}` : "no X display"}): gpu.js runs on ${backends.join(", ")}`,
      );
    }
    ctx.source = `${bench.source} + paired GEMM rounds of createGpuKernels({ backend }) against onnxruntime-node (apps/bench)`;

    const shapes =
      ctx.mode === "quick"
        ? GPU_BENCH_SHAPES.quick.filter((s) => QUICK_SHAPES.has(s.name))
        : GPU_BENCH_SHAPES.full;
    const repeats = ctx.mode === "quick" ? 3 : 5;
    let lines = 0;
    const expected = backends.length * shapes.length;
    const results: GpuBenchResult[] = [];
    for (const backend of backends) {
      // gpu.js's plain-JS "cpu" backend takes about 10 s per 1024^3 call here: the largest cube is left to the others.
      const own = backend === "cpu" ? shapes.filter((s) => !s.name.startsWith("1024")) : shapes;
      const part = await bench.fn({
        backends: [backend],
        ...(own.length > 0 ? { shapes: own } : {}),
        repeats,
        warmup: 1,
        signal: ctx.signal,
        onProgress: (line) =>
          ctx.progress((0.6 * ++lines) / expected, line.replace(/\s+/g, " ").slice(0, 40)),
      });
      results.push(...part);
    }
    for (const r of results)
      for (const stage of ["total", "compute", "upload", "readback"] as const)
        stageTiming(ctx, r, stage, repeats);
    const renderers = [...new Set(results.map((r) => `${r.backend}: ${r.renderer}`))];
    if (renderers.length > 0) ctx.note(`renderers: ${renderers.join("; ")}`);

    const rng = new Rng(7);
    const made: GpuKernels[] = [];
    for (const b of backends) {
      try {
        made.push(createGpuKernels({ backend: b }));
      } catch (err) {
        ctx.note(`createGpuKernels({ backend: "${b}" }) failed: ${(err as Error).message.split("\n")[0]}`);
      }
    }
    const kernels = made.map((k) => relabel(k, `gpu.js ${k.backend}`));
    const paired = PAIRED_SHAPES[ctx.mode];
    for (const [i, shape] of paired.entries()) {
      ctx.progress(0.6 + (0.4 * i) / paired.length, `paired ${shape.join("x")}`);
      await measureGemm(ctx, kernels, shape, rng, false);
    }
    // The int8 conv (im2col + the integer GEMM) on each backend, outputs checked equal across them.
    ctx.progress(0.95, "conv");
    try {
      if (kernels.length > 0) await measureConv(ctx, kernels, [1, 8, 16, 28, 3], rng);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.note(`conv not measured on gpu.js: ${(err as Error).message.split("\n")[0]}`);
    }
    for (const k of made) await k.destroy();
    ctx.progress(1, "done");
  },
};
