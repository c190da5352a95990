/**
 * Benchmark of the GPU kernels: GOP/s per gpu.js backend on the CPU kernels' shapes, with the
 * upload, compute and readback of each call timed apart (the device is drained with gl.finish() /
 * onSubmittedWorkDone() at each stage boundary, so a stage's time is its own).
 *
 * CLI (from the repo root; headlessgl needs an X display, hence xvfb-run where there is none):
 *
 *   xvfb-run -a pnpm --filter @quantkit/kernels-gpu bench -- --backend headlessgl
 *   xvfb-run -a pnpm --filter @quantkit/kernels-gpu bench -- --backend headlessgl,webasm,cpu --full --repeats 5
 *
 * The same command runs unchanged on a machine with a real GPU; each result names the GL renderer
 * that ran it (llvmpipe / SwiftShader are software).
 */
import { pathToFileURL } from "node:url";
import type { QuantizedLinearLayer } from "@quantkit/kernels";
import { _Device, type _Plan } from "../src/_device";
import {
  type _DeviceLinear,
  _linearSequencePlan,
  _releaseLinear,
  _uploadLinearPlan,
} from "../src/_linearPlan";
import { _matmulF32Plan } from "../src/_matmulF32Plan";
import { _matmulIntegerPlan } from "../src/_matmulIntegerPlan";
import { availableGpuBackends, type GpuBackend } from "../src/backend";

/** One benchmark shape: a GEMM [m, k] x [k, n], or a Linear layer (batch m, k in, n out). */
export interface GpuBenchShape {
  name: string;
  kernel: "matmulInteger" | "matmulF32" | "quantizedLinear";
  m: number;
  k: number;
  n: number;
}

/** The CPU kernels' shapes: cubes, and the MLP's first layer at batch 10 and 1000. */
export const GPU_BENCH_SHAPES: Record<"quick" | "full", GpuBenchShape[]> = {
  quick: [
    { name: "256^3", kernel: "matmulInteger", m: 256, k: 256, n: 256 },
    { name: "256^3", kernel: "matmulF32", m: 256, k: 256, n: 256 },
    { name: "512^3", kernel: "matmulInteger", m: 512, k: 512, n: 512 },
    { name: "512^3", kernel: "matmulF32", m: 512, k: 512, n: 512 },
    { name: "MLP 10x784x100", kernel: "quantizedLinear", m: 10, k: 784, n: 100 },
    { name: "MLP 1000x784x100", kernel: "quantizedLinear", m: 1000, k: 784, n: 100 },
  ],
  full: [],
};
GPU_BENCH_SHAPES.full = [
  ...GPU_BENCH_SHAPES.quick,
  { name: "1024^3", kernel: "matmulInteger", m: 1024, k: 1024, n: 1024 },
  { name: "1024^3", kernel: "matmulF32", m: 1024, k: 1024, n: 1024 },
];

/** Options of {@link benchGpu}. */
export interface GpuBenchOptions {
  /** Backends to measure (default: the synchronous ones available here). */
  backends?: GpuBackend[];
  shapes?: GpuBenchShape[];
  /** Timed repetitions per shape (default 5) after `warmup` untimed ones (default 1: compiles the kernels). */
  repeats?: number;
  warmup?: number;
  /** Called with a line per measurement (progress in a terminal). */
  onProgress?: (line: string) => void;
  /** Stops between measurements when aborted. */
  signal?: AbortSignal;
}

/** Median, min and max of a stage's time over the repetitions, in milliseconds. */
export interface StageTime {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** One measurement. */
export interface GpuBenchResult {
  backend: GpuBackend;
  /** The GL renderer (or "WebAssembly", "JavaScript"): what hardware ran it. */
  renderer: string;
  kernel: GpuBenchShape["kernel"];
  shape: string;
  m: number;
  k: number;
  n: number;
  /** 2 m k n: multiplies and adds. */
  ops: number;
  upload: StageTime;
  compute: StageTime;
  readback: StageTime;
  total: StageTime;
  /** ops / median total time, in 10^9 per second. */
  gops: number;
  /** ops / median compute time. */
  computeGops: number;
  repeats: number;
  note: string;
}

function stat(values: number[]): StageTime {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { medianMs: median, minMs: s[0]!, maxMs: s[s.length - 1]! };
}

/** Runs a plan, adding each stage's time to `t` (draining the device at every change of stage). */
async function runTimed<T>(
  dev: _Device,
  plan: _Plan<T>,
  t: Record<"upload" | "compute" | "readback", number>,
) {
  let stage: keyof typeof t | null = null;
  let start = performance.now();
  let r = plan.next();
  while (!r.done) {
    if (r.value.stage !== stage) {
      if (stage !== null) {
        await dev.finish();
        const now = performance.now();
        t[stage] += now - start;
        start = now;
      }
      stage = r.value.stage;
    }
    r = plan.next(await dev.call(r.value));
  }
  // The host work after the last step (joining limbs, copying out) is the readback's.
  await dev.finish();
  if (stage !== null) t[stage] += performance.now() - start;
  return r.value;
}

function rendererOf(dev: _Device): string {
  if (dev.backend === "webasm") return "WebAssembly";
  if (dev.backend === "cpu") return "JavaScript";
  const gl = dev.gpu.context as {
    getParameter?: (p: number) => unknown;
    getExtension?: (n: string) => { UNMASKED_RENDERER_WEBGL: number } | null;
    RENDERER?: number;
  } | null;
  if (gl?.getParameter && gl.RENDERER !== undefined) {
    const info = gl.getExtension?.("WEBGL_debug_renderer_info");
    if (info) return String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
    // headless-gl names only itself ("ANGLE", "WebGL 1.0 stack-gl 8.1.6"), not the driver under it.
    const version = (gl as { VERSION?: number }).VERSION;
    return `${String(gl.getParameter(gl.RENDERER))}${version !== undefined ? ` (${String(gl.getParameter(version))})` : ""}`;
  }
  return dev.backend;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function linearLayer(k: number, n: number, rnd: () => number): QuantizedLinearLayer {
  return {
    inFeatures: k,
    outFeatures: n,
    weight: new Int8Array(k * n).map(() => Math.floor(rnd() * 255) - 127),
    inputZeroPoint: 3,
    outputZeroPoint: 100,
    bias: new Int32Array(n).map(() => Math.floor((rnd() - 0.5) * 20000)),
    // 0.0006 = 1288490189 * 2^(-10 - 31): a typical s_in * s_w / s_out.
    multiplier: new Int32Array([1288490189]),
    shift: new Int32Array([-10]),
    outputMin: 100,
    outputMax: 255,
  };
}

/**
 * Measures the GPU kernels on each backend and shape: median (min, max) of upload, compute,
 * readback and total per call, and GOP/s. Integer GEMMs upload both uint8/int8 operands per call;
 * the Linear layers are prepared once (weights on the device, as a model keeps them) and upload
 * only the activations.
 *
 * @example
 * const results = await benchGpu({ backends: ["webasm"], shapes: GPU_BENCH_SHAPES.quick.slice(0, 1), repeats: 3 });
 * results[0].gops; // GOP/s of a 256^3 integer GEMM, upload and readback included
 */
export async function benchGpu(options: GpuBenchOptions = {}): Promise<GpuBenchResult[]> {
  const backends = options.backends ?? availableGpuBackends().filter((b) => b !== "webgpu");
  const shapes = options.shapes ?? GPU_BENCH_SHAPES.quick;
  const repeats = options.repeats ?? 5;
  const warmup = options.warmup ?? 1;
  const results: GpuBenchResult[] = [];
  for (const backend of backends) {
    const dev = new _Device(backend, false);
    try {
      // gpu.js opens the GL context with the first kernel: read the renderer after one ran.
      let renderer = "";
      for (const shape of shapes) {
        if (options.signal?.aborted) return results;
        const rnd = seeded(shape.m * 31 + shape.k * 17 + shape.n);
        const { m, k, n } = shape;
        let prepared: _DeviceLinear | null = null;
        let makePlan: () => _Plan<unknown>;
        let note: string;
        if (shape.kernel === "matmulInteger") {
          const a = new Uint8Array(m * k).map(() => Math.floor(rnd() * 256));
          const b = new Int8Array(k * n).map(() => Math.floor(rnd() * 256) - 128);
          makePlan = () => _matmulIntegerPlan(dev, a, b, { m, k, n, aZeroPoint: 128 });
          note = "uint8 x int8 -> int32, both operands uploaded per call";
        } else if (shape.kernel === "matmulF32") {
          const a = new Float32Array(m * k).map(() => rnd() - 0.5);
          const b = new Float32Array(k * n).map(() => rnd() - 0.5);
          makePlan = () => _matmulF32Plan(dev, a, b, { m, k, n });
          note = "fp32, both operands uploaded per call";
        } else {
          const layer = linearLayer(k, n, rnd);
          const x = new Uint8Array(m * k).map(() => Math.floor(rnd() * 256));
          const t = { upload: 0, compute: 0, readback: 0 };
          const p = (await runTimed(dev, _uploadLinearPlan(dev, layer, "layer"), t)) as _DeviceLinear;
          prepared = p;
          makePlan = () => _linearSequencePlan(dev, x, [p], m, undefined, (l): l is _DeviceLinear => l === p);
          note = "uint8 -> uint8 with requantization, weights on the device, activations uploaded per call";
        }
        try {
          const times = {
            upload: [] as number[],
            compute: [] as number[],
            readback: [] as number[],
            total: [] as number[],
          };
          for (let r = 0; r < warmup + repeats; r++) {
            const t = { upload: 0, compute: 0, readback: 0 };
            const start = performance.now();
            await runTimed(dev, makePlan(), t);
            const total = performance.now() - start;
            if (r < warmup) continue;
            times.upload.push(t.upload);
            times.compute.push(t.compute);
            times.readback.push(t.readback);
            times.total.push(total);
          }
          renderer ||= rendererOf(dev);
          const ops = 2 * m * k * n;
          const total = stat(times.total);
          const compute = stat(times.compute);
          const result: GpuBenchResult = {
            backend: dev.backend,
            renderer,
            kernel: shape.kernel,
            shape: shape.name,
            m,
            k,
            n,
            ops,
            upload: stat(times.upload),
            compute,
            readback: stat(times.readback),
            total,
            gops: ops / (total.medianMs * 1e6),
            computeGops: ops / (compute.medianMs * 1e6),
            repeats,
            note,
          };
          results.push(result);
          options.onProgress?.(formatResult(result));
        } finally {
          if (prepared) _releaseLinear(dev, prepared);
        }
      }
    } finally {
      await dev.destroy();
    }
  }
  return results;
}

function ms(s: StageTime): string {
  return `${s.medianMs.toFixed(2)} (${s.minMs.toFixed(2)}-${s.maxMs.toFixed(2)})`;
}

/**
 * One result as a table row: backend, kernel, shape, GOP/s, then median (min-max) ms per stage.
 *
 * @example
 * (await benchGpu({ backends: ["cpu"], shapes: GPU_BENCH_SHAPES.quick.slice(0, 1) })).map(formatResult)
 * // ["cpu  matmulInteger  256^3  0.586 GOP/s  compute 0.587 GOP/s  upload 0.00 (0.00-0.00) ms ..."]
 */
export function formatResult(r: GpuBenchResult): string {
  return [
    r.backend.padEnd(10),
    r.kernel.padEnd(15),
    r.shape.padEnd(17),
    `${r.gops.toFixed(3).padStart(8)} GOP/s`,
    `compute ${r.computeGops.toFixed(3).padStart(8)} GOP/s`,
    `upload ${ms(r.upload)} ms`,
    `compute ${ms(r.compute)} ms`,
    `readback ${ms(r.readback)} ms`,
    `total ${ms(r.total)} ms`,
  ].join("  ");
}

function parseArgs(argv: string[]): GpuBenchOptions & { json: boolean } {
  const o: GpuBenchOptions & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new RangeError(`${a} needs a value`);
      return v;
    };
    if (a === "--") continue;
    if (a === "--backend" || a === "--backends") o.backends = value().split(",") as GpuBackend[];
    else if (a === "--repeats") o.repeats = Number(value());
    else if (a === "--warmup") o.warmup = Number(value());
    else if (a === "--full") o.shapes = GPU_BENCH_SHAPES.full;
    else if (a === "--json") o.json = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        "gpu.bench.ts [--backend headlessgl,webasm,cpu] [--full] [--repeats 5] [--warmup 1] [--json]\n" +
          "GOP/s of the GPU kernels per backend, upload / compute / readback timed apart.",
      );
      process.exit(0);
    } else throw new RangeError(`unknown argument ${a} (try --help)`);
  }
  return o;
}

async function main(): Promise<void> {
  const { json, ...options } = parseArgs(process.argv.slice(2));
  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.error("stopping after the current measurement");
    controller.abort();
  });
  const results = await benchGpu({
    ...options,
    signal: controller.signal,
    onProgress: json ? undefined : (line) => console.log(line),
  });
  if (json) console.log(JSON.stringify(results, null, 2));
  else if (results.length > 0)
    console.log(`renderers: ${[...new Set(results.map((r) => `${r.backend}: ${r.renderer}`))].join("; ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
