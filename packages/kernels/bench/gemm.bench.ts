/**
 * GEMM benchmark: quantkit's int8 GEMM (matmulInteger: uint8 x int8 -> int32, zero point 128 on A)
 * against its fp32 GEMM (matmulF32), each on the plain-JS and the WebAssembly SIMD path, with
 * onnxruntime-node's MatMulInteger and MatMul (one intra-op thread, both operands graph inputs, so it
 * packs per call as we do) as the native ceiling. Shapes: 256^3, 512^3, 1024^3 and the MNIST MLP's
 * first layer at batch 10 and 1000 (batch x 784 x 100).
 *
 * Timing: every variant of a shape runs one batch per round, rounds interleaved with a rotating start
 * (warm-up rounds first), each batch long enough for the timer; the int8/fp32 ratio is taken round by
 * round (same moment, same machine load) and its median reported with min and max.
 *
 * Run: pnpm --filter @quantkit/kernels bench [-- --quick] [--threads 2] [--no-js] [--repetitions 15]
 *      [--shapes "512^3,mnist b10"] [--json out.json]
 * or, from the repository root: packages/kernels/node_modules/.bin/tsx --conditions=@quantkit/source
 * packages/kernels/bench/gemm.bench.ts
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import * as ort from "onnxruntime-node";
import { createCpuKernels } from "../src/index";
import { planBatches, summarize, timeRounds } from "./_gemmRounds";
import { type BenchKernels, gemmVariants } from "./_gemmVariants";
import { formatGemmReport } from "./formatGemmReport";
import {
  GEMM_SHAPES,
  type GemmBenchOptions,
  type GemmBenchRatio,
  type GemmBenchReport,
  type GemmBenchResult,
} from "./gemmBenchTypes";
import { compareOutputs, type GemmBenchExactness, referenceMatmulInteger } from "./gemmExactness";

export { formatGemmReport } from "./formatGemmReport";
export {
  GEMM_SHAPES,
  type GemmBenchOptions,
  type GemmBenchRatio,
  type GemmBenchReport,
  type GemmBenchResult,
  type GemmShape,
} from "./gemmBenchTypes";
export type { GemmBenchExactness };

/**
 * Measures the GEMMs and returns per-variant timings and the int8/fp32 ratios per backend.
 *
 * @example
 * const report = await benchGemm({ shapes: [{ name: "64^3", m: 64, k: 64, n: 64 }], repetitions: 3 });
 * report.ratios.find((r) => r.backend === "wasm-simd")!.median // about 2 on Zen 4
 */
export async function benchGemm(options: GemmBenchOptions = {}): Promise<GemmBenchReport> {
  const shapes = options.shapes ?? GEMM_SHAPES;
  const repetitions = options.repetitions ?? 7;
  const warmupRounds = options.warmupRounds ?? 2;
  const minSampleMs = options.minSampleMs ?? 150;
  const threads = options.threads ?? 1;
  const includeJs = options.includeJs ?? true;
  const includeOrt = options.includeOrt ?? true;
  const log = options.onProgress ?? (() => {});
  const kernels: BenchKernels[] = [];
  if (includeJs) kernels.push({ backend: "js", threads: 1, k: createCpuKernels({ simd: false }) });
  kernels.push({ backend: "wasm-simd", threads: 1, k: createCpuKernels() });
  if (threads > 1) {
    const k = createCpuKernels({ threads });
    kernels.push({ backend: "wasm-simd", threads: k.threads, k });
  }
  const results: GemmBenchResult[] = [];
  const ratios: GemmBenchRatio[] = [];
  const exactness: GemmBenchExactness[] = [];
  try {
    for (const shape of shapes) {
      const { m, k, n } = shape;
      const { variants, a8, b8, c32i, sessions } = await gemmVariants(shape, kernels, includeOrt);
      // The reference decides: every int8 result is compared with it before anything is timed.
      const reference = referenceMatmulInteger(a8, b8, m, k, n, 128);
      for (const v of variants.filter((x) => x.dtype === "int8")) {
        let out: Int32Array = c32i; // where our variants write
        const ran = await v.run();
        if (v.impl === "onnxruntime") out = (ran as Record<string, ort.Tensor>).Y!.data as Int32Array;
        const { equal, outputs, differing, maxAbsDiff } = compareOutputs(out, reference);
        const e = {
          shape: shape.name,
          impl: v.impl,
          backend: v.backend,
          threads: v.threads,
          equal,
          outputs,
          differing,
          maxAbsDiff,
        };
        exactness.push(e);
        if (v.impl === "quantkit" && !e.equal) {
          throw new Error(
            `${v.id} ${shape.name}: ${e.differing} of ${e.outputs} outputs differ from the reference`,
          );
        }
      }
      const plan = await planBatches(variants, minSampleMs, options.signal);
      const samples = await timeRounds(plan, shape.name, { warmupRounds, repetitions }, options.signal, log);
      const summary = summarize(shape, variants, plan, samples);
      results.push(...summary.results);
      ratios.push(...summary.ratios);
      if (sessions) {
        await sessions.integer.release();
        await sessions.float.release();
      }
    }
  } finally {
    for (const { k } of kernels) await k.dispose();
  }
  return {
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      onnxruntime: includeOrt ? ort.env.versions.common : null,
    },
    results,
    ratios,
    exactness,
  };
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isMain) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes("--quick");
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const only = value("--shapes")
    ?.split(",")
    .map((x) => x.trim());
  const report = await benchGemm({
    shapes: only ? GEMM_SHAPES.filter((shape) => only.includes(shape.name)) : GEMM_SHAPES,
    repetitions: Number(value("--repetitions") ?? (quick ? 3 : 7)),
    warmupRounds: quick ? 1 : 2,
    minSampleMs: quick ? 50 : 150,
    threads: Number(value("--threads") ?? 1),
    includeJs: !args.includes("--no-js"),
    onProgress: (line) => process.stderr.write(`\r${line}          `),
    signal: controller.signal,
  });
  process.stderr.write("\n");
  console.log(formatGemmReport(report));
  const json = value("--json");
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
}
