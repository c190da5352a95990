import os from "node:os";
import { type CpuKernels, createCpuKernels, initWasmKernels } from "@quantkit/kernels";
import { Rng } from "@quantkit/tensor";
import { benchGemm, GEMM_SHAPES as PACKAGE_GEMM_SHAPES } from "../../../../packages/kernels/bench/gemm.bench";
import type { Suite, SuiteContext } from "../context";
import { benchEntry } from "../packageBench";
import { addUnlessMeasured, caseTiming } from "./_cases";
import { _inexactNote, measureConv, measureGemm } from "./_gemm";
import { type Kernels, relabel } from "./_relabel";

/** The seed of the suite's operands (drawn shape by shape, in GEMM_SHAPES order). */
export const KERNELS_SEED = 20261126;

/** GEMM shapes [m, k, n]: cubes for the throughput curve, and the MLP's first layer at batch 32. */
export const GEMM_SHAPES: Record<"quick" | "full", [number, number, number][]> = {
  quick: [
    [64, 64, 64],
    [128, 128, 128],
    [256, 256, 256],
    [32, 784, 100],
  ],
  // 512^3 and 1024^3 come from the package's benchGemm (PACKAGE_SHAPES), not measured twice.
  full: [
    [32, 32, 32],
    [64, 64, 64],
    [128, 128, 128],
    [256, 256, 256],
    [10, 784, 100],
    [32, 784, 100],
  ],
};

/** Conv shapes: [batch, inChannels, outChannels, height(=width), kernel]. */
const CONV_SHAPES: Record<"quick" | "full", [number, number, number, number, number][]> = {
  quick: [[1, 8, 16, 28, 3]],
  full: [
    [1, 8, 16, 28, 3],
    [1, 32, 64, 56, 3],
  ],
};

/**
 * Every CPU path of @quantkit/kernels: plain JS (`simd: false`), WebAssembly SIMD (the default) and
 * WebAssembly SIMD over worker threads (one per core), each labelled with what it reports having run
 * (a path the machine lacks falls back, and its label says so).
 */
async function cpuBackends(
  ctx: SuiteContext,
): Promise<{ kernels: Kernels[]; dispose: () => Promise<void>; source: string }> {
  await initWasmKernels();
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  const made: CpuKernels[] = [createCpuKernels({ simd: false }), createCpuKernels()];
  if (cores > 1) made.push(createCpuKernels({ threads: cores }));
  const kernels: Kernels[] = [];
  const labels = new Set<string>();
  for (const k of made) {
    const label = k.threads > 1 ? `${k.backend} x${k.threads} threads` : k.backend;
    if (labels.has(label)) {
      ctx.note(`a requested CPU path fell back to ${label}, which is measured once`);
      continue;
    }
    labels.add(label);
    kernels.push(label === k.backend ? k : relabel(k, label));
  }
  return {
    kernels,
    dispose: async () => {
      for (const k of made) await k.dispose();
    },
    source:
      "@quantkit/kernels createCpuKernels({ simd: false }), createCpuKernels(), createCpuKernels({ threads })",
  };
}

/** The larger shapes, measured by the package's own benchGemm (names as its GEMM_SHAPES has them). */
const PACKAGE_SHAPES = { quick: ["512^3", "mnist b1000"], full: ["512^3", "1024^3", "mnist b1000"] };

/**
 * Runs @quantkit/kernels' benchGemm (interleaved rounds, int8/fp32 paired per backend, onnxruntime in
 * the same rounds) on the shapes this suite does not measure itself, and records its timings and its
 * paired int8/fp32 ratios.
 */
async function packageGemm(ctx: SuiteContext): Promise<void> {
  const bench = benchEntry(ctx.repoRoot, "packages/kernels/bench/gemm.bench.ts", benchGemm);
  const shapes = PACKAGE_GEMM_SHAPES.filter((s) => PACKAGE_SHAPES[ctx.mode].includes(s.name));
  if (shapes.length !== PACKAGE_SHAPES[ctx.mode].length) {
    throw new Error(
      `${bench.file} GEMM_SHAPES must hold ${PACKAGE_SHAPES[ctx.mode].join(", ")}, has ${PACKAGE_GEMM_SHAPES.map((s) => s.name).join(", ")}`,
    );
  }
  ctx.source = `${ctx.source}; ${shapes.map((s) => s.name).join(", ")} by ${bench.source}`;
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  let lines = 0;
  const report = await bench.fn({
    shapes,
    repetitions: ctx.method.repetitions,
    warmupRounds: ctx.method.warmupRounds,
    minSampleMs: ctx.method.minSampleMs,
    threads: ctx.mode === "full" ? cores : 1,
    // The plain-JS kernels take seconds per call at these sizes: a quick run leaves them to the curve above.
    includeJs: ctx.mode === "full",
    signal: ctx.signal,
    onProgress: (line) => ctx.progress(0.8 + Math.min(0.19, ++lines / 100), line.slice(0, 40)),
  });
  const label = (r: { m: number; k: number; n: number }) => `${r.m}x${r.k}x${r.n}`;
  const backendOf = (r: { backend: string; threads: number }) =>
    r.threads > 1 ? `${r.backend} x${r.threads} threads` : r.backend;
  const shapeOf = new Map<string, string>();
  for (const r of report.results) {
    const { m, k, n } = r;
    shapeOf.set(r.shape, label(r));
    const impl = r.impl === "onnxruntime" ? "onnxruntime-node" : r.impl;
    const backend = backendOf(r);
    const op = `gemm.${r.dtype}`;
    addUnlessMeasured(
      ctx,
      caseTiming(
        { ...r, name: `${op} ${impl} ${backend} ${label(r)}` },
        {
          // The same ids as measureGemm's (onnxruntime's backend with dashes, quantkit's as reported).
          id: `${op}/${impl}/${impl === "onnxruntime-node" ? backend.replace(/ /g, "-") : backend}/${label(r)}`,
          op,
          impl,
          role: impl === "quantkit" ? "quantkit" : "peer",
          backend,
          size: m * k * n,
          sizeUnit: "MACs",
          shape: label(r),
          throughput: { unit: "GMAC/s", per: 1e9 },
          params: { m, k, n, threads: r.threads, by: bench.name },
          samples: ctx.method.repetitions,
        },
      ),
    );
  }
  // The package bench compares every int8 result with its plain-loop reference before timing (and throws
  // when one of ours differs); its records join the suite's, under the ids of the timings above.
  for (const e of report.exactness) {
    const shape = shapeOf.get(e.shape);
    if (!shape) continue;
    const impl = e.impl === "onnxruntime" ? "onnxruntime-node" : e.impl;
    const backend = backendOf(e);
    const id = `gemm.int8/${impl}/${impl === "onnxruntime-node" ? backend.replace(/ /g, "-") : backend}/${shape}`;
    if (ctx.exactness.some((x) => x.id === id)) continue;
    const { outputs, differing, maxAbsDiff } = e;
    ctx.exact({
      id,
      op: "gemm.int8",
      impl,
      backend,
      shape,
      label: impl === "quantkit" ? "quantkit matmulInteger" : `${impl} MatMulInteger`,
      reference: `plain-loop MatMulInteger of ${bench.source}`,
      equal: differing === 0,
      outputs,
      differing,
      maxAbsDiff,
      timing: ctx.timings.some((t) => t.id === id) ? id : null,
    });
    if (differing > 0) ctx.note(_inexactNote(`${impl} MatMulInteger`, backend));
  }
  for (const r of report.ratios) {
    const shape = shapeOf.get(r.shape);
    const backend = backendOf(r);
    const subject = `gemm.int8/quantkit/${backend}/${shape}`;
    const reference = `gemm.fp32/quantkit/${backend}/${shape}`;
    const { median, min, max } = r;
    if (!shape || ![median, min, max].every((x) => Number.isFinite(x) && x > 0)) continue;
    if (!ctx.timings.some((t) => t.id === subject) || !ctx.timings.some((t) => t.id === reference)) continue;
    if (ctx.ratios.some((x) => x.id === `gemm/int8-vs-fp32/${backend}/${shape}`)) continue;
    ctx.addRatio({
      id: `gemm/int8-vs-fp32/${backend}/${shape}`,
      label: `int8 / fp32 GEMM, ${backend}, ${shape}`,
      subject,
      reference,
      median,
      min: Math.min(min, median),
      max: Math.max(max, median),
      pairs: ctx.method.repetitions,
      headline: false,
    });
  }
}

/** GEMM (and conv) of @quantkit/kernels on every CPU backend it has, with onnxruntime-node in the same rounds. */
export const kernelsSuite: Suite = {
  id: "kernels",
  title: "CPU GEMM and conv, int8 against fp32, against onnxruntime-node",
  package: "@quantkit/kernels",
  async run(ctx) {
    const { kernels, dispose, source } = await cpuBackends(ctx);
    ctx.source = `${source} + onnxruntime-node MatMulInteger / MatMul (apps/bench)`;
    ctx.note(
      "onnxruntime-node runs single-threaded (intraOpNumThreads 1), like the JS and WebAssembly kernels; every int8 result (quantkit's and onnxruntime's) is compared with a plain-loop reference before timing: quantkit's must equal it, onnxruntime's exactness is recorded per shape.",
    );
    const rng = new Rng(KERNELS_SEED);
    const shapes = GEMM_SHAPES[ctx.mode];
    const convs = CONV_SHAPES[ctx.mode];
    const steps = shapes.length + convs.length;
    let done = 0;
    for (const shape of shapes) {
      ctx.progress(done / steps, `gemm ${shape.join("x")}`);
      await measureGemm(ctx, kernels, shape, rng);
      done++;
    }
    for (const shape of convs) {
      ctx.progress(done / steps, `conv ${shape.join("x")}`);
      try {
        await measureConv(ctx, kernels, shape, rng);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        // GEMM numbers stand on their own: a conv that throws is reported, not fatal.
        ctx.note(`conv ${shape.join("x")} not measured: ${(err as Error).message.split("\n")[0]}`);
      }
      done++;
    }
    await dispose();
    await packageGemm(ctx);
    ctx.progress(1, "done");
  },
};
