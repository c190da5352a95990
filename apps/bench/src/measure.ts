import type { Params, Ratio, Timing, TimingRole } from "./schema";
import { pairedRatios, summarize } from "./stats";

/** One contender of a measured set: a call to time, under a unique id. */
export interface Variant {
  id: string;
  /** One call of the code under test. May return a promise (onnxruntime-node's `run`), which is awaited. */
  run: () => unknown;
}

/** How {@link measureSet} times. */
export interface MeasureOptions {
  /** Untimed rounds first (JIT tiers, caches, lazy initialisation). */
  warmupRounds: number;
  /** Timed rounds; each yields one sample per variant. */
  repetitions: number;
  /**
   * A sample times a batch of calls lasting at least this long (calibrated per variant), so that a
   * call far shorter than the timer's resolution still gets a meaningful time.
   */
  minSampleMs: number;
  /** Upper bound on calls per batch. Default 1e6. */
  maxIterations?: number;
  /** The clock, in milliseconds. Default `performance.now`. */
  now?: () => number;
  /** Aborts between two batches (Ctrl-C). */
  signal?: AbortSignal;
  /** Called after each round (warm-up and timed) with rounds done and rounds in all. */
  onRound?: (done: number, total: number) => void;
}

/** What {@link measureSet} gives per variant. */
export interface VariantSamples {
  id: string;
  iterationsPerSample: number;
  /** Time of one call, ms, one entry per timed round (round i of every variant ran in the same round). */
  samplesMs: Float64Array;
}

const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";

/**
 * Times several variants in interleaved rounds: in each round every variant runs one batch, starting
 * from a rotating position so that no variant always goes first. Any two variants can then be compared
 * round by round ({@link ratioOf}), which is what makes a ratio trustworthy on a noisy machine.
 *
 * @example
 * const out = await measureSet(
 *   [{ id: "copy", run: () => dst.set(src) }, { id: "fill", run: () => dst.fill(0) }],
 *   { warmupRounds: 2, repetitions: 9, minSampleMs: 10 },
 * );
 * out.get("copy")!.samplesMs.length; // 9
 */
export async function measureSet(
  variants: readonly Variant[],
  options: MeasureOptions,
): Promise<Map<string, VariantSamples>> {
  const { warmupRounds, repetitions, minSampleMs } = options;
  if (variants.length === 0) throw new RangeError("variants must not be empty");
  if (!Number.isInteger(warmupRounds) || warmupRounds < 0) {
    throw new RangeError(`warmupRounds must be an integer >= 0, got ${warmupRounds}`);
  }
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new RangeError(`repetitions must be an integer >= 1, got ${repetitions}`);
  }
  if (!(minSampleMs >= 0)) throw new RangeError(`minSampleMs must be >= 0, got ${minSampleMs}`);
  const ids = new Set<string>();
  for (const v of variants) {
    if (ids.has(v.id)) throw new RangeError(`variant ids must be unique, got ${JSON.stringify(v.id)} twice`);
    ids.add(v.id);
  }
  const now = options.now ?? (() => performance.now());
  const maxIterations = options.maxIterations ?? 1_000_000;
  const signal = options.signal;

  // Times `iterations` calls; async variants are awaited call by call, sync ones run in a plain loop
  // (an await per call would add microtask overhead to a sub-microsecond kernel).
  const batch = async (v: Variant, async: boolean, iterations: number): Promise<number> => {
    signal?.throwIfAborted();
    const t0 = now();
    if (async) for (let i = 0; i < iterations; i++) await v.run();
    else for (let i = 0; i < iterations; i++) v.run();
    return now() - t0;
  };

  // Calibration: a first call tells whether the variant is async; the batch size comes from the
  // fastest of a few probes (a probe that was descheduled on a busy machine would otherwise shrink the
  // batch to one call), checked again on a whole batch once the JIT has seen the code.
  const plan: { variant: Variant; async: boolean; iterations: number }[] = [];
  const fit = (perCall: number) =>
    Math.min(maxIterations, Math.max(1, Math.ceil(minSampleMs / Math.max(perCall, 1e-6))));
  for (const variant of variants) {
    signal?.throwIfAborted();
    const t0 = now();
    const first = variant.run();
    const async = isThenable(first);
    if (async) await first;
    let perCall = Math.max(now() - t0, 1e-6);
    for (let probe = 0; probe < 3 && (probe === 0 || perCall < minSampleMs); probe++) {
      perCall = Math.min(perCall, Math.max(await batch(variant, async, 1), 1e-6));
    }
    let iterations = fit(perCall);
    if (iterations > 1)
      iterations = fit(Math.min(perCall, (await batch(variant, async, iterations)) / iterations));
    plan.push({ variant, async, iterations });
  }

  const samples = plan.map(() => new Float64Array(repetitions));
  const total = warmupRounds + repetitions;
  for (let round = 0; round < total; round++) {
    const timed = round - warmupRounds;
    for (let j = 0; j < plan.length; j++) {
      const index = (j + round) % plan.length;
      const p = plan[index]!;
      const t = await batch(p.variant, p.async, p.iterations);
      if (timed >= 0) samples[index]![timed] = Math.max(t, 1e-9) / p.iterations;
    }
    options.onRound?.(round + 1, total);
  }
  const out = new Map<string, VariantSamples>();
  for (const [i, p] of plan.entries()) {
    out.set(p.variant.id, { id: p.variant.id, iterationsPerSample: p.iterations, samplesMs: samples[i]! });
  }
  return out;
}

/** Describes a timing for {@link toTiming}: everything but the numbers. */
export interface TimingSpec {
  id: string;
  op: string;
  impl: string;
  /** What the timing is to the reader: quantkit's code, a peer library, or a baseline (see schema). */
  role: TimingRole;
  backend: string;
  size: number;
  sizeUnit: string;
  shape?: string | null;
  params?: Params;
  /** Throughput unit and the size units per unit, e.g. { unit: "Melem/s", per: 1e6 }. Omit for none. */
  throughput?: { unit: string; per: number };
}

/**
 * Turns a variant's samples into a result-file {@link Timing}: median, min and max time per call and,
 * when asked, throughput = size / time (its min comes from the max time and vice versa).
 *
 * @example
 * toTiming({ id: "t", op: "copy", impl: "copy", role: "baseline", backend: "js", size: 1e6, sizeUnit: "elements",
 *   throughput: { unit: "Melem/s", per: 1e6 } }, samples).throughput!.unit; // "Melem/s"
 */
export function toTiming(spec: TimingSpec, samples: VariantSamples): Timing {
  const s = summarize(samples.samplesMs);
  const tp = spec.throughput;
  return {
    id: spec.id,
    op: spec.op,
    impl: spec.impl,
    role: spec.role,
    backend: spec.backend,
    size: spec.size,
    sizeUnit: spec.sizeUnit,
    shape: spec.shape ?? null,
    params: spec.params ?? {},
    samples: s.n,
    iterationsPerSample: samples.iterationsPerSample,
    medianMs: s.median,
    minMs: s.min,
    maxMs: s.max,
    throughput: tp
      ? {
          unit: tp.unit,
          median: spec.size / (s.median / 1000) / tp.per,
          min: spec.size / (s.max / 1000) / tp.per,
          max: spec.size / (s.min / 1000) / tp.per,
        }
      : null,
  };
}

/**
 * The paired speed ratio of `subject` over `reference` (both measured in the same {@link measureSet}):
 * per round t(reference) / t(subject), summarized. Above 1: the subject is faster.
 *
 * @example
 * ratioOf("int8-vs-fp32", "int8 / fp32 speed", int8Timing, int8Samples, fp32Timing, fp32Samples).median;
 */
export function ratioOf(
  id: string,
  label: string,
  subject: { timing: Timing; samples: VariantSamples },
  reference: { timing: Timing; samples: VariantSamples },
  headline = false,
): Ratio {
  const s = pairedRatios(subject.samples.samplesMs, reference.samples.samplesMs);
  return {
    id,
    label,
    subject: subject.timing.id,
    reference: reference.timing.id,
    median: s.median,
    min: s.min,
    max: s.max,
    pairs: s.n,
    headline,
  };
}
