/**
 * The result file of one benchmark run: its types. Version 1 of the schema `quantkit-bench-result`,
 * documented in apps/bench/README.md. Pure TypeScript (no Node imports): the runner, the compare gate
 * and the dashboard all read files through validateResultFile (./validateResultFile.ts).
 */

/** The schema's name, stored in every file's `schema` field. */
export const SCHEMA_NAME = "quantkit-bench-result";
/** The schema version this code writes and reads. A file of another version is refused, by name. */
export const SCHEMA_VERSION = 1;

/** Free-form parameters of one measurement (dtype, granularity, bits, observer…). */
export type Params = Record<string, string | number | boolean>;

/** The machine the run happened on. */
export interface MachineInfo {
  /** `os.cpus()[0].model`, e.g. "AMD EPYC 7B13". */
  cpuModel: string;
  /** Logical cores (`os.availableParallelism()`). */
  cores: number;
  totalMemoryBytes: number;
  /** `process.platform`, `process.arch` and `os.release()`. */
  platform: string;
  arch: string;
  osRelease: string;
  /** `process.version` and `process.versions.v8`. */
  node: string;
  v8: string;
  /** gpu.js's version as installed, null when it is not. */
  gpujs: string | null;
  /** onnxruntime-node's version as installed, null when it is not. */
  onnxruntime: string | null;
  /** The X display gpu.js's headless-gl used (":99" under xvfb-run), null without one. */
  display: string | null;
  /** `git rev-parse HEAD` of the measured tree, null outside git. */
  gitCommit: string | null;
  /** True when the tree had uncommitted changes to tracked files. */
  gitDirty: boolean | null;
}

/** How every timing of the run was taken. */
export interface MethodInfo {
  /** Untimed rounds before the timed ones (JIT, caches, lazy init). */
  warmupRounds: number;
  /** Timed rounds: each gives one sample per variant, and one paired ratio per pair of variants. */
  repetitions: number;
  /** A sample times a batch of calls that lasts at least this long; its time is divided by the batch size. */
  minSampleMs: number;
  /** Always "median": the figure quoted, with min and max beside it. */
  statistic: "median";
  /** Always "paired": ratios are taken round by round between variants interleaved in the same round. */
  ratio: "paired";
}

/** What a timing is to the reader (see {@link Timing.role}). */
export type TimingRole = "quantkit" | "peer" | "baseline";
export const TIMING_ROLES: readonly TimingRole[] = ["quantkit", "peer", "baseline"];

/** Median, min and max of a throughput (units per second). */
export interface ThroughputSummary {
  /** e.g. "Melem/s", "GOP/s" (giga multiply-adds per second), "samples/s". */
  unit: string;
  median: number;
  min: number;
  max: number;
}

/** One timed variant at one size. */
export interface Timing {
  /** Unique within its suite, e.g. "gemm.int8/quantkit/wasm-simd/256x256x256". */
  id: string;
  /** What is measured, e.g. "float16.encode", "gemm.int8", "quantize.per_tensor_affine.quint8". */
  op: string;
  /** Whose code: "quantkit", "onnxruntime-node", "@petamoriken/float16", "copy"… */
  impl: string;
  /**
   * What the timing is to the reader, stated by the suite that measured it: "quantkit" (our code),
   * "peer" (another library quantkit is measured against: onnxruntime, @petamoriken/float16) or
   * "baseline" (a yardstick, not a competitor: a plain copy). Optional: files written before the field
   * have none, and the dashboard then marks no timing as a peer (it never guesses from `impl`).
   */
  role?: TimingRole;
  /** The backend that actually ran (as reported by the code, never as requested). */
  backend: string;
  /** The problem size (x axis of the dashboard's throughput charts) in {@link sizeUnit}. */
  size: number;
  /** e.g. "elements", "MACs", "samples". */
  sizeUnit: string;
  /** A readable shape, e.g. "256x256x256", or null. */
  shape: string | null;
  params: Params;
  /** Timed samples taken (the median is over these). */
  samples: number;
  /** Calls per sample (the sample's time is divided by it). */
  iterationsPerSample: number;
  /** Time of one call. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** size / time, or null when a throughput means nothing here. */
  throughput: ThroughputSummary | null;
}

/**
 * How much faster `subject` runs than `reference`: per round, t(reference) / t(subject), then the
 * median, min and max over rounds. Above 1 means the subject is faster. Every ratio is oriented so
 * that higher is better for quantkit, which is what the compare gate relies on.
 */
export interface Ratio {
  /** Unique within its suite, e.g. "gemm/int8-vs-fp32/wasm-simd/256x256x256". */
  id: string;
  /** A readable label, e.g. "int8 / fp32 GEMM speed, wasm-simd, 256x256x256". */
  label: string;
  /** Timing ids of the same suite. */
  subject: string;
  reference: string;
  median: number;
  min: number;
  max: number;
  /** Rounds paired. */
  pairs: number;
  /** Quoted as a headline figure (the dashboard's top table, the closing note). */
  headline: boolean;
}

/** A measured value that is not a time: an accuracy, the error of a range, a model size. */
export interface Metric {
  /** Unique within its suite, e.g. "accuracy/ptq/minmax/8". */
  id: string;
  /** What kind of value: "accuracy", "range-error", "model-size"… */
  kind: string;
  /** A readable label. */
  label: string;
  value: number;
  /** e.g. "fraction" (0..1), "mse", "bytes". */
  unit: string;
  /** Which way is better, for the side-by-side view. */
  better: "higher" | "lower";
  params: Params;
}

/**
 * Whether one implementation's output equals the slow, obviously correct reference on one case (same
 * inputs as its timing). A peer's exactness is measured, never assumed (onnxruntime's uint8 x int8
 * MatMulInteger saturates on x86 CPUs without VNNI); one of quantkit's that is inexact fails its suite.
 */
export interface Exactness {
  /** Unique within its suite; the id of the timing of the same code on the same inputs where there is one. */
  id: string;
  /** What is compared, as in timings: "gemm.int8". */
  op: string;
  /** Whose code: "quantkit", "onnxruntime-node"… */
  impl: string;
  /** The backend that actually ran. */
  backend: string;
  shape: string | null;
  /** Readable, without the shape: "onnxruntime-node MatMulInteger", "quantkit matmulInteger". */
  label: string;
  /** What decided, e.g. "plain-loop int32 reference (apps/bench)". */
  reference: string;
  /** Every output equal to the reference's. */
  equal: boolean;
  /** Outputs compared (>= 1). */
  outputs: number;
  /** Outputs that differ from the reference's (0 exactly when `equal`). */
  differing: number;
  /** Largest |output - reference| (0 exactly when `equal`). */
  maxAbsDiff: number;
  /** The timing of the same code on the same inputs (an inexact peer is still timed), or null. */
  timing: string | null;
}

/** One suite's part of the file. */
export interface SuiteResult {
  /** "numeric", "quantizers", "calibrators", "kernels", "kernels-gpu", "e2e". */
  id: string;
  title: string;
  /** The package(s) measured, e.g. "@quantkit/kernels". */
  package: string;
  /** ok: measured; skipped: could not be measured here, `reason` says why; failed: threw, `reason` says what. */
  status: "ok" | "skipped" | "failed";
  reason: string | null;
  /** The code whose numbers these are, e.g. "packages/numeric/bench/float16.bench.ts#benchEncode". */
  source: string | null;
  durationMs: number;
  /** Every backend that actually ran in this suite. */
  backends: string[];
  timings: Timing[];
  ratios: Ratio[];
  metrics: Metric[];
  /** Anything a reader needs to interpret the numbers (a fallback that happened, a size that was cut). */
  notes: string[];
  /**
   * Outputs checked against the reference, per implementation, backend and shape. Optional: files written
   * before the bench recorded it have none (an absent list means "not recorded", not "exact").
   */
  exactness?: Exactness[];
}

/** A whole result file (`bench-results/<date>-<commit>.json`). */
export interface BenchResultFile {
  schema: typeof SCHEMA_NAME;
  schemaVersion: typeof SCHEMA_VERSION;
  /** ISO 8601 time the run started. */
  createdAt: string;
  /** quick: the default run (under 3 minutes on 2 cores); full: `--full`, larger sizes and more rounds. */
  mode: "quick" | "full";
  durationMs: number;
  /** The runner's arguments, for the record. */
  argv: string[];
  machine: MachineInfo;
  method: MethodInfo;
  suites: SuiteResult[];
}
