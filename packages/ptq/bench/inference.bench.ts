/**
 * Inference speed of the seed's MLP (784-100-100-10) over the bundled MNIST test set (2,004 digits in
 * one batch): fp32 (@quantkit/nn's forward pass, and each CPU backend's matmulF32) against the int8
 * integer model of @quantkit/ptq on the same backends (optionally @quantkit/kernels-gpu too).
 * Warm-up, then rounds; in each round every variant runs once, back to back, so the int8/fp32 ratios
 * are paired round by round; median with min and max.
 *
 *   npx tsx --conditions=@quantkit/source packages/ptq/bench/inference.bench.ts [--rounds 15] [--train] [--gpu cpu|headlessgl] [--json]
 *
 * `benchInference(options)` is the measuring function (apps/bench calls it).
 */
import { batches, loadBundledMnist, normalize } from "@quantkit/datasets";
import { createCpuKernels, type Kernels } from "@quantkit/kernels";
import { Adam, createMlp, fit, type Linear, type Module, ReLU, type Sequential } from "@quantkit/nn";
import {
  calibrate,
  convert,
  defaultQConfig,
  prepare,
  type QConfig,
  type QuantizedModel,
} from "@quantkit/ptq";

/** Options of {@link benchInference}. */
export interface InferenceBenchOptions {
  /** Timed rounds (each runs every variant once). Default 15. */
  rounds?: number;
  /** Untimed rounds first. Default 2. */
  warmup?: number;
  /** Train the MLP one epoch first (the seed's hyperparameters); speed does not depend on it. Default false. */
  train?: boolean;
  /** The qconfig of the integer model. Default PyTorch's default qconfig. */
  qconfig?: QConfig;
  /** Extra backends to run both on (e.g. `createGpuKernels()`), named. */
  extraBackends?: ReadonlyArray<{ name: string; kernels: Kernels }>;
}

/** One variant's timings. */
export interface InferenceBenchRow {
  /** "fp32 nn", "fp32 wasm-simd", "int8 wasm-simd", ... */
  variant: string;
  precision: "fp32" | "int8";
  backend: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Test samples per second at the median. */
  samplesPerSecond: number;
}

/** A paired ratio: the fp32 time over the int8 time, per round. */
export interface InferenceBenchRatio {
  /** "int8 wasm-simd vs fp32 nn", ... */
  label: string;
  median: number;
  min: number;
  max: number;
}

/** What {@link benchInference} returns. */
export interface InferenceBenchResult {
  samples: number;
  rounds: number;
  rows: InferenceBenchRow[];
  ratios: InferenceBenchRatio[];
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

/** The float MLP on a backend's fp32 GEMM (same packing and blocking as the integer GEMM). */
function floatOnKernels(model: Sequential, x: Float32Array, batch: number, k: Kernels): Float32Array {
  let v = x;
  for (const [, m] of model.children()) {
    if (m instanceof ReLU) {
      for (let i = 0; i < v.length; i++) if (!(v[i]! > 0)) v[i] = 0;
    } else {
      const l = m as Linear;
      v = k.matmulF32(v, l.weight.data, {
        m: batch,
        k: l.inFeatures,
        n: l.outFeatures,
        transB: true,
        bias: l.bias!.data,
      });
    }
  }
  return v;
}

/**
 * Times fp32 and int8 inference of the seed's MLP over the bundled MNIST test set and returns the
 * timings per variant and the paired int8 speed-ups.
 *
 * @example
 * const { rows, ratios } = await benchInference({ rounds: 15 });
 * ratios.find((r) => r.label === "int8 wasm-simd vs fp32 nn")?.median // e.g. 10
 */
export async function benchInference(options: InferenceBenchOptions = {}): Promise<InferenceBenchResult> {
  const rounds = options.rounds ?? 15;
  const warmup = options.warmup ?? 2;
  const split = await loadBundledMnist();
  const train = normalize(split.train);
  const test = normalize(split.test);
  const model = createMlp([784, 100, 100, 10], { seed: 0 });
  if (options.train) {
    await fit(model, batches(train, { batchSize: 10, shuffle: true, seed: 0 }), {
      optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    });
  }
  model.eval();
  const prepared = prepare(model, options.qconfig ?? defaultQConfig);
  await calibrate(prepared, batches(train, { batchSize: 100, shuffle: true, seed: 1 }), { maxBatches: 10 });
  const quantized: QuantizedModel = convert(prepared);
  const n = test.count;
  const x = test.images;
  const cpu = [
    { name: "wasm-simd", kernels: createCpuKernels() as Kernels },
    { name: "js", kernels: createCpuKernels({ simd: false }) as Kernels },
  ];
  const backends = [...cpu, ...(options.extraBackends ?? [])];
  const variants: Array<{
    variant: string;
    precision: "fp32" | "int8";
    backend: string;
    run: () => unknown;
  }> = [
    { variant: "fp32 nn", precision: "fp32", backend: "nn", run: () => (model as Module).call(x, [n, 784]) },
    ...backends.map((b) => ({
      variant: `fp32 ${b.name}`,
      precision: "fp32" as const,
      backend: b.name,
      run: () => floatOnKernels(model, x, n, b.kernels),
    })),
    ...backends.map((b) => ({
      variant: `int8 ${b.name}`,
      precision: "int8" as const,
      backend: b.name,
      // the whole integer model: quantize the input once, integer layers, argmax on the codes
      run: () => quantized.predict(x, n, { kernels: b.kernels }),
    })),
  ];
  for (let r = 0; r < warmup; r++) for (const v of variants) v.run();
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, v] of variants.entries()) {
      const t = performance.now();
      v.run();
      times[i]!.push(performance.now() - t);
    }
  }
  const rows: InferenceBenchRow[] = variants.map((v, i) => {
    const s = stats(times[i]!);
    return {
      variant: v.variant,
      precision: v.precision,
      backend: v.backend,
      medianMs: s.median,
      minMs: s.min,
      maxMs: s.max,
      samplesPerSecond: (n / s.median) * 1000,
    };
  });
  const ratios: InferenceBenchRatio[] = [];
  const at = (name: string) => variants.findIndex((v) => v.variant === name);
  for (const b of backends) {
    const int8 = times[at(`int8 ${b.name}`)]!;
    for (const base of ["fp32 nn", `fp32 ${b.name}`]) {
      const fp = times[at(base)]!;
      ratios.push({ label: `int8 ${b.name} vs ${base}`, ...stats(fp.map((t, r) => t / int8[r]!)) });
    }
  }
  return { samples: n, rounds, rows, ratios };
}

/** The result as text tables. */
export function formatInferenceBench(r: InferenceBenchResult): string {
  const lines = [
    `MLP 784-100-100-10, ${r.samples} test samples in one batch, ${r.rounds} rounds (median, min..max)`,
    "",
  ];
  lines.push(
    `${"variant".padEnd(24)}${"median ms".padStart(11)}${"min..max ms".padStart(18)}${"samples/s".padStart(12)}`,
  );
  for (const row of r.rows) {
    lines.push(
      `${row.variant.padEnd(24)}${row.medianMs.toFixed(2).padStart(11)}${`${row.minMs.toFixed(1)}..${row.maxMs.toFixed(1)}`.padStart(18)}${Math.round(row.samplesPerSecond).toLocaleString("en-US").padStart(12)}`,
    );
  }
  lines.push(
    "",
    `${"speed-up (paired per round)".padEnd(40)}${"median".padStart(8)}${"min..max".padStart(16)}`,
  );
  for (const q of r.ratios)
    lines.push(
      `${q.label.padEnd(40)}${`${q.median.toFixed(2)}x`.padStart(8)}${`${q.min.toFixed(2)}..${q.max.toFixed(2)}`.padStart(16)}`,
    );
  return lines.join("\n");
}

const isMain =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("inference.bench.ts");
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? (process.argv[i + 1] ?? "") : undefined;
  };
  const extra: Array<{ name: string; kernels: Kernels }> = [];
  const gpu = arg("gpu");
  if (gpu !== undefined) {
    const { createGpuKernels } = await import("@quantkit/kernels-gpu");
    const k = createGpuKernels({ backend: (gpu || "gpu") as never });
    extra.push({ name: `gpu.js ${k.backend}`, kernels: k });
  }
  const result = await benchInference({
    rounds: Number(arg("rounds") ?? 15),
    train: process.argv.includes("--train"),
    extraBackends: extra,
  });
  console.log(
    process.argv.includes("--json") ? JSON.stringify(result, null, 2) : formatInferenceBench(result),
  );
  process.exit(0);
}
