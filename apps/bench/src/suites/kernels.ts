import os from "node:os";
import { Rng } from "@quantkit/tensor";
import type { Suite, SuiteContext } from "../context";
import { findBenchFunction, importPackage, loadBenchModules } from "../packageBench";
import { addUnlessMeasured, caseTiming } from "./_cases";
import { _inexactNote, measureConv, measureGemm } from "./_gemm";
import { discoverKernels, type Kernels, relabel } from "./_kernelsDiscovery";

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

type CpuKernels = Kernels & { threads?: number; dispose?: () => Promise<void> };

/**
 * Every CPU path of @quantkit/kernels: plain JS (`simd: false`), WebAssembly SIMD (the default) and
 * WebAssembly SIMD over worker threads (one per core), each labelled with what it reports having run
 * (a path the machine lacks falls back, and its label says so). Without createCpuKernels, whatever
 * implements the contract.
 */
async function cpuBackends(
  ctx: SuiteContext,
  api: Record<string, unknown>,
): Promise<{ kernels: Kernels[]; dispose: () => Promise<void>; source: string }> {
  const create = api.createCpuKernels as
    | ((o?: { simd?: boolean; threads?: number }) => CpuKernels)
    | undefined;
  if (typeof create !== "function") {
    const found = await discoverKernels(api);
    for (const u of found.unavailable) ctx.note(`backend not available here: ${u}`);
    return { kernels: found.kernels, dispose: async () => {}, source: "@quantkit/kernels exports" };
  }
  const init = api.initWasmKernels as (() => Promise<boolean>) | undefined;
  if (typeof init === "function") await init();
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  const made: CpuKernels[] = [create({ simd: false }), create()];
  if (cores > 1) made.push(create({ threads: cores }));
  const kernels: Kernels[] = [];
  const labels = new Set<string>();
  for (const k of made) {
    const label = (k.threads ?? 1) > 1 ? `${k.backend} x${k.threads} threads` : k.backend;
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
      for (const k of made) await k.dispose?.();
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
 * paired int8/fp32 ratios. Skipped, with a note, when the package has no bench.
 */
async function packageGemm(ctx: SuiteContext): Promise<void> {
  const modules = await loadBenchModules(ctx.repoRoot, "kernels");
  const bench = findBenchFunction(modules, /^benchGemm/);
  if (!bench) {
    ctx.note("packages/kernels/bench has no benchGemm: the larger shapes are not measured");
    return;
  }
  const all = (modules.find((m) => m.file === bench.file)?.exports.GEMM_SHAPES ?? []) as { name: string }[];
  const shapes = all.filter((s) => PACKAGE_SHAPES[ctx.mode].includes(s.name));
  if (shapes.length === 0) return;
  ctx.source = `${ctx.source}; ${shapes.map((s) => s.name).join(", ")} by ${bench.source}`;
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  let lines = 0;
  const report = (await bench.fn({
    shapes,
    repetitions: ctx.method.repetitions,
    warmupRounds: ctx.method.warmupRounds,
    minSampleMs: ctx.method.minSampleMs,
    threads: ctx.mode === "full" ? cores : 1,
    // The plain-JS kernels take seconds per call at these sizes: a quick run leaves them to the curve above.
    includeJs: ctx.mode === "full",
    signal: ctx.signal,
    onProgress: (line: string) => ctx.progress(0.8 + Math.min(0.19, ++lines / 100), line.slice(0, 40)),
  })) as { results?: Record<string, unknown>[]; ratios?: Record<string, unknown>[] };
  const label = (r: Record<string, unknown>) => `${String(r.m)}x${String(r.k)}x${String(r.n)}`;
  const backendOf = (r: Record<string, unknown>) => {
    const t = Number(r.threads ?? 1);
    return t > 1 ? `${String(r.backend)} x${t} threads` : String(r.backend);
  };
  const shapeOf = new Map<string, string>();
  for (const r of report.results ?? []) {
    const m = Number(r.m);
    const k = Number(r.k);
    const n = Number(r.n);
    shapeOf.set(String(r.shape), label(r));
    const impl = r.impl === "onnxruntime" ? "onnxruntime-node" : String(r.impl);
    const backend = backendOf(r);
    const op = `gemm.${String(r.dtype)}`;
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
          params: { m, k, n, threads: Number(r.threads ?? 1), by: bench.name },
          samples: ctx.method.repetitions,
        },
      ),
    );
  }
  // The package bench compares every int8 result with its plain-loop reference before timing (and throws
  // when one of ours differs); its records join the suite's, under the ids of the timings above.
  const exactness = ((report as { exactness?: Record<string, unknown>[] }).exactness ?? []) as Record<
    string,
    unknown
  >[];
  for (const e of exactness) {
    const shape = shapeOf.get(String(e.shape));
    if (!shape) continue;
    const impl = e.impl === "onnxruntime" ? "onnxruntime-node" : String(e.impl);
    const backend = backendOf(e);
    const id = `gemm.int8/${impl}/${impl === "onnxruntime-node" ? backend.replace(/ /g, "-") : backend}/${shape}`;
    if (ctx.exactness.some((x) => x.id === id)) continue;
    const [outputs, differing, maxAbsDiff] = [Number(e.outputs), Number(e.differing), Number(e.maxAbsDiff)];
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
  for (const r of report.ratios ?? []) {
    const shape = shapeOf.get(String(r.shape));
    const backend = backendOf(r);
    const subject = `gemm.int8/quantkit/${backend}/${shape}`;
    const reference = `gemm.fp32/quantkit/${backend}/${shape}`;
    const [median, min, max] = [Number(r.median), Number(r.min), Number(r.max)];
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
    const pkg = await importPackage("@quantkit/kernels");
    if (!pkg.module) return ctx.skip(pkg.error);
    const { kernels, dispose, source } = await cpuBackends(ctx, pkg.module);
    if (kernels.length === 0) {
      return ctx.skip(
        "@quantkit/kernels exports no backend yet: no createCpuKernels() and no object implementing the Kernels contract of src/types.ts",
      );
    }
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
    const convCapable = kernels.filter((k) => typeof k.quantizedConv2d === "function");
    for (const shape of convs) {
      ctx.progress(done / steps, `conv ${shape.join("x")}`);
      try {
        if (convCapable.length > 0) await measureConv(ctx, convCapable, shape, rng);
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
