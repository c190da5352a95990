/**
 * The validator of result files: every problem of a parsed file listed with its JSON path, or the file
 * returned typed (see ./schema.ts for the types). Pure TypeScript (no Node imports): the runner, the
 * compare gate and the dashboard all read files through {@link validateResultFile}.
 */
import {
  all,
  arrayOf,
  bool,
  boolOrNull,
  type Check,
  describe,
  isObject,
  minMedMax,
  nonNegative,
  nonNegativeInt,
  num,
  object,
  oneOf,
  params,
  positiveInt,
  str,
  stringArray,
  strOrNull,
} from "./_checks";
import { type BenchResultFile, SCHEMA_NAME, SCHEMA_VERSION, TIMING_ROLES } from "./schema";

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
