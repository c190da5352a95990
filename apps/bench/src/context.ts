import {
  type MeasureOptions,
  measureSet,
  ratioOf,
  type TimingSpec,
  toTiming,
  type VariantSamples,
} from "./measure";
import type { Exactness, Metric, Ratio, SuiteResult, Timing } from "./schema";

/** quick: the default run (under 3 minutes on 2 cores); full: `--full`. */
export type Mode = "quick" | "full";

/** The timing method a run uses (stored in the file's `method`). */
export interface Method {
  warmupRounds: number;
  repetitions: number;
  minSampleMs: number;
}

/** Thrown by a suite (through {@link SuiteContext.skip}) that cannot measure here; the reason is stored. */
export class SuiteSkip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SuiteSkip";
  }
}

/** A variant to time plus how to record it. */
export interface MeasuredVariant extends TimingSpec {
  run: () => unknown;
}

/**
 * What a suite gets: the run's mode and method, an abort signal, a progress callback, and the recorder
 * of its timings, ratios and metrics. One context per suite, one suite per child process.
 */
export class SuiteContext {
  readonly timings: Timing[] = [];
  readonly ratios: Ratio[] = [];
  readonly metrics: Metric[] = [];
  readonly notes: string[] = [];
  readonly exactness: Exactness[] = [];
  /** Backends that ran without a timing of their own (the timings' backends are added at the end). */
  readonly backends = new Set<string>();
  source: string | null = null;
  private readonly samples = new Map<string, { group: number; timing: Timing; samples: VariantSamples }>();
  private group = 0;

  constructor(
    readonly mode: Mode,
    readonly method: Method,
    readonly repoRoot: string,
    readonly signal: AbortSignal,
    private readonly onProgress: (fraction: number, label: string) => void = () => {},
  ) {}

  /** Reports progress within the suite, `fraction` in [0, 1]. */
  progress(fraction: number, label: string): void {
    this.onProgress(Math.min(1, Math.max(0, fraction)), label);
  }

  /** Stops the suite and records it as skipped with `reason` (never fake numbers). */
  skip(reason: string): never {
    throw new SuiteSkip(reason);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /**
   * Times `variants` together (interleaved rounds, see `measureSet`) and records one timing each.
   * Ratios between any two of them can then be taken with {@link ratio}.
   */
  async measure(
    variants: readonly MeasuredVariant[],
    overrides: Partial<Pick<MeasureOptions, "warmupRounds" | "repetitions" | "minSampleMs" | "onRound">> = {},
  ): Promise<Timing[]> {
    const group = ++this.group;
    const measured = await measureSet(
      variants.map((v) => ({ id: v.id, run: v.run })),
      { ...this.method, ...overrides, signal: this.signal },
    );
    return variants.map((v) => {
      const samples = measured.get(v.id)!;
      const timing = toTiming(v, samples);
      if (this.samples.has(v.id)) throw new RangeError(`timing id ${JSON.stringify(v.id)} is recorded twice`);
      this.samples.set(v.id, { group, timing, samples });
      this.timings.push(timing);
      return timing;
    });
  }

  /** Records the paired speed ratio of `subject` over `reference` (two timings of the same `measure` call). */
  ratio(id: string, label: string, subject: string, reference: string, headline = false): Ratio {
    const s = this.samples.get(subject);
    const r = this.samples.get(reference);
    if (!s) throw new RangeError(`subject ${JSON.stringify(subject)} is no timing of this suite`);
    if (!r) throw new RangeError(`reference ${JSON.stringify(reference)} is no timing of this suite`);
    if (s.group !== r.group) {
      throw new RangeError(
        `${subject} and ${reference} were not measured in the same rounds: no paired ratio`,
      );
    }
    const ratio = ratioOf(id, label, s, r, headline);
    this.ratios.push(ratio);
    return ratio;
  }

  /** Records a value that is not a time (an accuracy, a range error). */
  metric(m: Metric): void {
    this.metrics.push(m);
  }

  /** Records whether one implementation's output equalled the reference on one case (see `Exactness`). */
  exact(e: Exactness): void {
    if (this.exactness.some((x) => x.id === e.id)) {
      throw new RangeError(`exactness id ${JSON.stringify(e.id)} is recorded twice`);
    }
    this.exactness.push(e);
  }

  /** Records a timing measured elsewhere (a package's own bench function) as is. */
  addTiming(t: Timing): void {
    this.timings.push(t);
  }

  /** Records a ratio computed elsewhere (a package's own paired measurement). */
  addRatio(r: Ratio): void {
    this.ratios.push(r);
  }

  /** The suite's part of the result file. */
  result(meta: { id: string; title: string; package: string }, durationMs: number): SuiteResult {
    return {
      ...meta,
      status: "ok",
      reason: null,
      source: this.source,
      durationMs,
      backends: [...new Set([...this.backends, ...this.timings.map((t) => t.backend)])].sort(),
      timings: this.timings,
      ratios: this.ratios,
      metrics: this.metrics,
      notes: this.notes,
      exactness: this.exactness,
    };
  }
}

/** A benchmark suite: measures one package (or the end-to-end model) into its context. */
export interface Suite {
  id: string;
  title: string;
  package: string;
  run(ctx: SuiteContext): Promise<void>;
}
