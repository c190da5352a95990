/**
 * The result file of one benchmark run: its types and its validator. Version 1 of the schema
 * `quantkit-bench-result`, documented in apps/bench/README.md. Pure TypeScript (no Node imports):
 * the runner, the compare gate and the dashboard all read files through {@link validateResultFile}.
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

/** Thrown by {@link validateResultFile}: lists every problem found, each with its JSON path. */
export class ResultFileError extends TypeError {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    const shown = problems.slice(0, 12).join("\n  ");
    const more = problems.length > 12 ? `\n  … and ${problems.length - 12} more` : "";
    super(`${source} is not a valid ${SCHEMA_NAME} file:\n  ${shown}${more}`);
    this.name = "ResultFileError";
    this.problems = problems;
  }
}

type Check = (value: unknown, path: string, problems: string[]) => void;

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "string" ? JSON.stringify(v) : typeof v;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str: Check = (v, p, out) => {
  if (typeof v !== "string") out.push(`${p} must be a string, got ${describe(v)}`);
};
const strOrNull: Check = (v, p, out) => {
  if (v !== null && typeof v !== "string") out.push(`${p} must be a string or null, got ${describe(v)}`);
};
const num: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isFinite(v))
    out.push(`${p} must be a finite number, got ${String(v)}`);
};
const nonNegative: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    out.push(`${p} must be a finite number >= 0, got ${String(v)}`);
  }
};
const positiveInt: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    out.push(`${p} must be an integer >= 1, got ${String(v)}`);
  }
};
const nonNegativeInt: Check = (v, p, out) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    out.push(`${p} must be an integer >= 0, got ${String(v)}`);
  }
};
const bool: Check = (v, p, out) => {
  if (typeof v !== "boolean") out.push(`${p} must be a boolean, got ${describe(v)}`);
};
const boolOrNull: Check = (v, p, out) => {
  if (v !== null && typeof v !== "boolean") out.push(`${p} must be a boolean or null, got ${describe(v)}`);
};
const oneOf =
  (...allowed: string[]): Check =>
  (v, p, out) => {
    if (typeof v !== "string" || !allowed.includes(v)) {
      out.push(`${p} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(v)}`);
    }
  };
const stringArray: Check = (v, p, out) => {
  if (!Array.isArray(v)) return void out.push(`${p} must be an array of strings, got ${describe(v)}`);
  for (const [i, s] of v.entries()) str(s, `${p}[${i}]`, out);
};
const params: Check = (v, p, out) => {
  if (!isObject(v)) return void out.push(`${p} must be an object, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) {
    const ok =
      typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));
    if (!ok) out.push(`${p}.${k} must be a string, a finite number or a boolean, got ${describe(x)}`);
  }
};

function object(shape: Record<string, Check>): Check {
  return (v, p, out) => {
    if (!isObject(v)) return void out.push(`${p} must be an object, got ${describe(v)}`);
    for (const [key, check] of Object.entries(shape)) {
      if (!(key in v)) out.push(`${p}.${key} is missing`);
      else check(v[key], `${p}.${key}`, out);
    }
  };
}

const minMedMax =
  (lo: string, mid: string, hi: string): Check =>
  (v, p, out) => {
    if (!isObject(v)) return;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    if (typeof a === "number" && typeof b === "number" && typeof c === "number" && !(a <= b && b <= c)) {
      out.push(`${p} must have ${lo} <= ${mid} <= ${hi}, got ${a}, ${b}, ${c}`);
    }
  };

const all =
  (...checks: Check[]): Check =>
  (v, p, out) => {
    for (const c of checks) c(v, p, out);
  };

const arrayOf =
  (item: Check, uniqueKey?: string): Check =>
  (v, p, out) => {
    if (!Array.isArray(v)) return void out.push(`${p} must be an array, got ${describe(v)}`);
    const seen = new Set<unknown>();
    v.forEach((x, i) => {
      item(x, `${p}[${i}]`, out);
      if (uniqueKey && isObject(x)) {
        const key = x[uniqueKey];
        if (seen.has(key)) out.push(`${p}[${i}].${uniqueKey} ${describe(key)} is not unique`);
        seen.add(key);
      }
    });
  };

const throughput: Check = (v, p, out) => {
  if (v === null) return;
  all(
    object({ unit: str, median: nonNegative, min: nonNegative, max: nonNegative }),
    minMedMax("min", "median", "max"),
  )(v, p, out);
};

const timing = all(
  object({
    id: str,
    op: str,
    impl: str,
    backend: str,
    size: nonNegative,
    sizeUnit: str,
    shape: strOrNull,
    params,
    samples: positiveInt,
    iterationsPerSample: positiveInt,
    medianMs: nonNegative,
    minMs: nonNegative,
    maxMs: nonNegative,
    throughput,
  }),
  minMedMax("minMs", "medianMs", "maxMs"),
  (v, p, out) => {
    if (isObject(v) && "role" in v) oneOf(...TIMING_ROLES)(v.role, `${p}.role`, out);
  },
);

const ratio = all(
  object({
    id: str,
    label: str,
    subject: str,
    reference: str,
    median: nonNegative,
    min: nonNegative,
    max: nonNegative,
    pairs: positiveInt,
    headline: bool,
  }),
  minMedMax("min", "median", "max"),
);

const metric = object({
  id: str,
  kind: str,
  label: str,
  value: num,
  unit: str,
  better: oneOf("higher", "lower"),
  params,
});

const exactnessShape = object({
  id: str,
  op: str,
  impl: str,
  backend: str,
  shape: strOrNull,
  label: str,
  reference: str,
  equal: bool,
  outputs: positiveInt,
  differing: nonNegativeInt,
  maxAbsDiff: nonNegative,
  timing: strOrNull,
});

const exactness: Check = (v, p, out) => {
  exactnessShape(v, p, out);
  if (!isObject(v) || typeof v.differing !== "number" || typeof v.equal !== "boolean") return;
  if (typeof v.outputs === "number" && v.differing > v.outputs) {
    out.push(`${p}.differing must be at most outputs (${v.outputs}), got ${v.differing}`);
  }
  if (v.equal !== (v.differing === 0) || v.equal !== (v.maxAbsDiff === 0)) {
    out.push(
      `${p}.equal must be true exactly when differing and maxAbsDiff are 0, got ${v.equal}, ${String(v.differing)}, ${String(v.maxAbsDiff)}`,
    );
  }
};

const suiteShape = object({
  id: str,
  title: str,
  package: str,
  status: oneOf("ok", "skipped", "failed"),
  reason: strOrNull,
  source: strOrNull,
  durationMs: nonNegative,
  backends: stringArray,
  timings: arrayOf(timing, "id"),
  ratios: arrayOf(ratio, "id"),
  metrics: arrayOf(metric, "id"),
  notes: stringArray,
});

const suite: Check = (v, p, out) => {
  suiteShape(v, p, out);
  if (!isObject(v)) return;
  if (v.status !== "ok" && (typeof v.reason !== "string" || v.reason.length === 0)) {
    out.push(`${p}.reason must say why a suite is ${describe(v.status)}`);
  }
  // A ratio must point at timings of its own suite: the dashboard and the gate follow these links.
  const ids = new Set(Array.isArray(v.timings) ? v.timings.filter(isObject).map((t) => t.id) : []);
  if (Array.isArray(v.timings) && Array.isArray(v.ratios)) {
    v.ratios.forEach((r, i) => {
      if (!isObject(r)) return;
      for (const side of ["subject", "reference"] as const) {
        if (typeof r[side] === "string" && !ids.has(r[side])) {
          out.push(`${p}.ratios[${i}].${side} ${describe(r[side])} names no timing of this suite`);
        }
      }
    });
  }
  if (!("exactness" in v)) return; // written before the bench recorded it
  arrayOf(exactness, "id")(v.exactness, `${p}.exactness`, out);
  if (!Array.isArray(v.exactness)) return;
  v.exactness.forEach((e, i) => {
    if (!isObject(e)) return;
    if (typeof e.timing === "string" && !ids.has(e.timing)) {
      out.push(`${p}.exactness[${i}].timing ${describe(e.timing)} names no timing of this suite`);
    }
    // Ours must be exact: a suite that recorded one of its own inexact cannot be ok.
    if (e.impl === "quantkit" && e.equal === false && v.status === "ok") {
      out.push(`${p}.exactness[${i}] is quantkit's and inexact, so the suite cannot be "ok"`);
    }
  });
};

const machine = object({
  cpuModel: str,
  cores: positiveInt,
  totalMemoryBytes: nonNegative,
  platform: str,
  arch: str,
  osRelease: str,
  node: str,
  v8: str,
  gpujs: strOrNull,
  onnxruntime: strOrNull,
  display: strOrNull,
  gitCommit: strOrNull,
  gitDirty: boolOrNull,
});

const method = object({
  warmupRounds: nonNegativeInt,
  repetitions: positiveInt,
  minSampleMs: nonNegative,
  statistic: oneOf("median"),
  ratio: oneOf("paired"),
});

const file = object({
  schema: oneOf(SCHEMA_NAME),
  schemaVersion: num,
  createdAt: str,
  mode: oneOf("quick", "full"),
  durationMs: nonNegative,
  argv: stringArray,
  machine,
  method,
  suites: arrayOf(suite, "id"),
});

/**
 * Checks that `data` (parsed JSON) is a version-1 result file and returns it typed; otherwise throws
 * a {@link ResultFileError} listing every problem with its path. `source` names the file in the message.
 *
 * @example
 * const run = validateResultFile(JSON.parse(text), "bench-results/baseline.json");
 * run.suites.map((s) => s.status); // ["ok", "ok", "skipped", …]
 */
export function validateResultFile(data: unknown, source = "result file"): BenchResultFile {
  if (isObject(data) && data.schema === SCHEMA_NAME && data.schemaVersion !== SCHEMA_VERSION) {
    throw new ResultFileError(source, [
      `schemaVersion ${String(data.schemaVersion)} is not supported: this code reads version ${SCHEMA_VERSION}`,
    ]);
  }
  const problems: string[] = [];
  file(data, "$", problems);
  if (problems.length > 0) throw new ResultFileError(source, problems);
  return data as unknown as BenchResultFile;
}

/**
 * Parses JSON text and validates it (see {@link validateResultFile}); a JSON syntax error is reported as
 * a {@link ResultFileError} naming the file too.
 *
 * @example
 * parseResultFile(readFileSync("bench-results/baseline.json", "utf8"), "baseline.json").mode; // "quick"
 */
export function parseResultFile(text: string, source = "result file"): BenchResultFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultFileError(source, [`not JSON: ${(err as Error).message}`]);
  }
  return validateResultFile(data, source);
}
