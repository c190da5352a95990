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
import { type CpuKernels, createCpuKernels } from "../src/index";
import { onnxModel } from "../test/_onnx";
import { compareOutputs, type GemmBenchExactness, referenceMatmulInteger } from "./gemmExactness";

export type { GemmBenchExactness };

/** One GEMM shape: C[m, n] = A[m, k] B[k, n]. */
export interface GemmShape {
  name: string;
  m: number;
  k: number;
  n: number;
}

/** The default shapes of the issue. */
export const GEMM_SHAPES: readonly GemmShape[] = [
  { name: "256^3", m: 256, k: 256, n: 256 },
  { name: "512^3", m: 512, k: 512, n: 512 },
  { name: "1024^3", m: 1024, k: 1024, n: 1024 },
  { name: "mnist b10", m: 10, k: 784, n: 100 },
  { name: "mnist b1000", m: 1000, k: 784, n: 100 },
];

export interface GemmBenchOptions {
  shapes?: readonly GemmShape[];
  /** Timed rounds (default 7). */
  repetitions?: number;
  /** Untimed rounds first (default 2). */
  warmupRounds?: number;
  /** Each timed batch lasts at least this long (default 150 ms). */
  minSampleMs?: number;
  /** Also time the WebAssembly kernels on this many threads (default 1: no extra variants). */
  threads?: number;
  /** Include the plain-JS kernels (default true; they take seconds per call at 1024^3). */
  includeJs?: boolean;
  /** Include onnxruntime-node (default true). */
  includeOrt?: boolean;
  /** Progress lines (default: none). */
  onProgress?: (line: string) => void;
  /** Stops between batches. */
  signal?: AbortSignal;
}

/** One variant's timing on one shape. `gops` counts 2 m n k operations (a multiply and an add). */
export interface GemmBenchResult {
  shape: string;
  m: number;
  k: number;
  n: number;
  /** "int8" (uint8 x int8 -> int32) or "fp32". */
  dtype: "int8" | "fp32";
  impl: "quantkit" | "onnxruntime";
  /** What ran: 'js', 'wasm-simd', or 'ort-cpu'. */
  backend: string;
  threads: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Throughput at the median time, and at the max / min times. GOP/s for int8, GFLOP/s for fp32. */
  gops: number;
  gopsMin: number;
  gopsMax: number;
}

/** int8 throughput over fp32 throughput of the same backend, paired round by round. */
export interface GemmBenchRatio {
  shape: string;
  backend: string;
  threads: number;
  median: number;
  min: number;
  max: number;
}

export interface GemmBenchReport {
  environment: { node: string; cpu: string; cores: number; onnxruntime: string | null };
  results: GemmBenchResult[];
  ratios: GemmBenchRatio[];
  /**
   * Every int8 variant's output against a plain-loop reference, checked before timing: ours must be
   * exact (benchGemm throws otherwise); onnxruntime's uint8 x int8 kernel is not on x86 CPUs without
   * VNNI (it saturates pairs of products to int16), and is timed all the same.
   */
  exactness: GemmBenchExactness[];
}

interface Variant {
  id: string;
  dtype: "int8" | "fp32";
  impl: "quantkit" | "onnxruntime";
  backend: string;
  threads: number;
  run: () => unknown;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** A deterministic fill (xorshift), so every run multiplies the same matrices. */
function filler(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

async function ortSessions(shape: GemmShape) {
  const { m, k, n } = shape;
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const integer = await ort.InferenceSession.create(
    onnxModel(
      "MatMulInteger",
      [
        { name: "A", type: "uint8", dims: [m, k] },
        { name: "B", type: "int8", dims: [k, n] },
        { name: "a_zero_point", type: "uint8", dims: [] },
      ],
      [{ name: "Y", type: "int32", dims: [m, n] }],
    ),
    options,
  );
  const float = await ort.InferenceSession.create(
    onnxModel(
      "MatMul",
      [
        { name: "A", type: "float", dims: [m, k] },
        { name: "B", type: "float", dims: [k, n] },
      ],
      [{ name: "Y", type: "float", dims: [m, n] }],
    ),
    options,
  );
  return { integer, float };
}

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
  const kernels: { backend: string; threads: number; k: CpuKernels }[] = [];
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
      const next = filler(m * 7919 + k * 31 + n);
      const a8 = new Uint8Array(m * k).map(() => next() & 255);
      const b8 = new Int8Array(k * n).map(() => next() & 255);
      const a32 = new Float32Array(m * k).map(() => next() / 2 ** 31 - 1);
      const b32 = new Float32Array(k * n).map(() => next() / 2 ** 31 - 1);
      const c32i = new Int32Array(m * n);
      const c32f = new Float32Array(m * n);
      const variants: Variant[] = [];
      for (const { backend, threads: t, k: kk } of kernels) {
        const suffix = t > 1 ? ` x${t}` : "";
        variants.push({
          id: `int8 ${backend}${suffix}`,
          dtype: "int8",
          impl: "quantkit",
          backend,
          threads: t,
          run: () => kk.matmulInteger(a8, b8, { m, k, n, aZeroPoint: 128, out: c32i }),
        });
        variants.push({
          id: `fp32 ${backend}${suffix}`,
          dtype: "fp32",
          impl: "quantkit",
          backend,
          threads: t,
          run: () => kk.matmulF32(a32, b32, { m, k, n, out: c32f }),
        });
      }
      let sessions: Awaited<ReturnType<typeof ortSessions>> | null = null;
      if (includeOrt) {
        sessions = await ortSessions(shape);
        const feedsI = {
          A: new ort.Tensor("uint8", a8, [m, k]),
          B: new ort.Tensor("int8", b8, [k, n]),
          a_zero_point: new ort.Tensor("uint8", new Uint8Array([128]), []),
        };
        const feedsF = {
          A: new ort.Tensor("float32", a32, [m, k]),
          B: new ort.Tensor("float32", b32, [k, n]),
        };
        const s = sessions;
        variants.push({
          id: "int8 ort",
          dtype: "int8",
          impl: "onnxruntime",
          backend: "ort-cpu",
          threads: 1,
          run: () => s.integer.run(feedsI),
        });
        variants.push({
          id: "fp32 ort",
          dtype: "fp32",
          impl: "onnxruntime",
          backend: "ort-cpu",
          threads: 1,
          run: () => s.float.run(feedsF),
        });
      }
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
      // Calibrate: calls per batch so that a batch lasts at least minSampleMs.
      const plan: { v: Variant; iterations: number }[] = [];
      for (const v of variants) {
        options.signal?.throwIfAborted();
        let t0 = performance.now();
        await v.run();
        let once = Math.max(performance.now() - t0, 1e-3);
        if (once < minSampleMs) {
          const probe = Math.max(1, Math.ceil(minSampleMs / 4 / once));
          t0 = performance.now();
          for (let i = 0; i < probe; i++) await v.run();
          once = Math.max((performance.now() - t0) / probe, 1e-4);
        }
        plan.push({ v, iterations: Math.max(1, Math.ceil(minSampleMs / once)) });
      }
      const samples = plan.map(() => [] as number[]);
      const total = warmupRounds + repetitions;
      for (let round = 0; round < total; round++) {
        for (let j = 0; j < plan.length; j++) {
          options.signal?.throwIfAborted();
          const idx = (j + round) % plan.length;
          const { v, iterations } = plan[idx]!;
          const t0 = performance.now();
          // ORT's run is async; quantkit's kernels are synchronous (no await per call for them).
          if (v.impl === "onnxruntime") for (let i = 0; i < iterations; i++) await v.run();
          else for (let i = 0; i < iterations; i++) v.run();
          const ms = (performance.now() - t0) / iterations;
          if (round >= warmupRounds) samples[idx]!.push(ms);
        }
        log(`${shape.name}: round ${round + 1}/${total}`);
      }
      const ops = 2 * m * n * k;
      plan.forEach(({ v }, i) => {
        const s = samples[i]!;
        const med = median(s);
        const lo = Math.min(...s);
        const hi = Math.max(...s);
        results.push({
          shape: shape.name,
          m,
          k,
          n,
          dtype: v.dtype,
          impl: v.impl,
          backend: v.backend,
          threads: v.threads,
          medianMs: med,
          minMs: lo,
          maxMs: hi,
          gops: ops / med / 1e6,
          gopsMin: ops / hi / 1e6,
          gopsMax: ops / lo / 1e6,
        });
      });
      // Paired ratios: int8 throughput / fp32 throughput = fp32 time / int8 time, round by round.
      for (const v of variants.filter((x) => x.dtype === "int8")) {
        const iInt = plan.findIndex((p) => p.v === v);
        const iFp = plan.findIndex(
          (p) => p.v.dtype === "fp32" && p.v.backend === v.backend && p.v.threads === v.threads,
        );
        if (iFp < 0) continue;
        const r = samples[iInt]!.map((t, round) => samples[iFp]![round]! / t);
        ratios.push({
          shape: shape.name,
          backend: v.backend,
          threads: v.threads,
          median: median(r),
          min: Math.min(...r),
          max: Math.max(...r),
        });
      }
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

/** The report as a text table: one line per shape and variant, then the ratios. */
export function formatGemmReport(report: GemmBenchReport): string {
  const lines = [
    `node ${report.environment.node}, ${report.environment.cpu} (${report.environment.cores} cores), onnxruntime ${report.environment.onnxruntime ?? "-"}`,
    "shape         variant              median ms    min ms    max ms    G(FL)OP/s median [min, max]",
  ];
  for (const r of report.results) {
    const id = `${r.dtype} ${r.impl === "onnxruntime" ? "ort" : r.backend}${r.threads > 1 ? ` x${r.threads}` : ""}`;
    lines.push(
      `${r.shape.padEnd(13)} ${id.padEnd(20)} ${r.medianMs.toFixed(3).padStart(9)} ${r.minMs.toFixed(3).padStart(9)} ${r.maxMs.toFixed(3).padStart(9)}    ${r.gops.toFixed(2).padStart(7)} [${r.gopsMin.toFixed(2)}, ${r.gopsMax.toFixed(2)}]`,
    );
  }
  lines.push("", "int8 outputs against the plain-loop reference:");
  for (const e of report.exactness) {
    const id = `${e.impl === "onnxruntime" ? "ort" : e.backend}${e.threads > 1 ? ` x${e.threads}` : ""}`;
    const what = e.equal
      ? `equal on all ${e.outputs}`
      : `${e.differing} of ${e.outputs} differ (by up to ${e.maxAbsDiff})`;
    lines.push(`${e.shape.padEnd(13)} ${id.padEnd(20)} ${what}`);
  }
  lines.push("", "int8/fp32 throughput ratio (paired by round): median [min, max]");
  for (const q of report.ratios) {
    const id = `${q.backend}${q.threads > 1 ? ` x${q.threads}` : ""}`;
    lines.push(
      `${q.shape.padEnd(13)} ${id.padEnd(20)} ${q.median.toFixed(2)} [${q.min.toFixed(2)}, ${q.max.toFixed(2)}]`,
    );
  }
  return lines.join("\n");
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
