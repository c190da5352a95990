/**
 * How benchGemm times a shape's variants: calls per batch calibrated to last minSampleMs, rounds of
 * one batch each with a rotating start (warm-up rounds first), then medians, throughputs and the
 * int8/fp32 ratios paired round by round.
 */
import type { Variant } from "./_gemmVariants";
import type { GemmBenchRatio, GemmBenchResult, GemmShape } from "./gemmBenchTypes";

/** A variant and the calls one of its timed batches makes. */
export interface Batch {
  v: Variant;
  iterations: number;
}

const _median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** Calibrates: calls per batch so that a batch lasts at least minSampleMs. */
export async function planBatches(
  variants: readonly Variant[],
  minSampleMs: number,
  signal: AbortSignal | undefined,
): Promise<Batch[]> {
  const plan: Batch[] = [];
  for (const v of variants) {
    signal?.throwIfAborted();
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
  return plan;
}

/** Runs warmupRounds + repetitions rounds; the samples (ms per call) of each batch, warm-up left out. */
export async function timeRounds(
  plan: readonly Batch[],
  shapeName: string,
  rounds: { warmupRounds: number; repetitions: number },
  signal: AbortSignal | undefined,
  log: (line: string) => void,
): Promise<number[][]> {
  const { warmupRounds, repetitions } = rounds;
  const samples = plan.map(() => [] as number[]);
  const total = warmupRounds + repetitions;
  for (let round = 0; round < total; round++) {
    for (let j = 0; j < plan.length; j++) {
      signal?.throwIfAborted();
      const idx = (j + round) % plan.length;
      const { v, iterations } = plan[idx]!;
      const t0 = performance.now();
      // ORT's run is async; quantkit's kernels are synchronous (no await per call for them).
      if (v.impl === "onnxruntime") for (let i = 0; i < iterations; i++) await v.run();
      else for (let i = 0; i < iterations; i++) v.run();
      const ms = (performance.now() - t0) / iterations;
      if (round >= warmupRounds) samples[idx]!.push(ms);
    }
    log(`${shapeName}: round ${round + 1}/${total}`);
  }
  return samples;
}

/** Each variant's median, min and max and its throughputs; the int8/fp32 ratio of each backend. */
export function summarize(
  shape: GemmShape,
  variants: readonly Variant[],
  plan: readonly Batch[],
  samples: readonly number[][],
): { results: GemmBenchResult[]; ratios: GemmBenchRatio[] } {
  const { m, k, n } = shape;
  const results: GemmBenchResult[] = [];
  const ratios: GemmBenchRatio[] = [];
  const ops = 2 * m * n * k;
  plan.forEach(({ v }, i) => {
    const s = samples[i]!;
    const med = _median(s);
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
      median: _median(r),
      min: Math.min(...r),
      max: Math.max(...r),
    });
  }
  return { results, ratios };
}
