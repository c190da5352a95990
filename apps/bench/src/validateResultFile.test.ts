import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import { SCHEMA_VERSION } from "./schema";
import { parseResultFile, ResultFileError, validateResultFile } from "./validateResultFile";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The problems validateResultFile reports for `data` ([] when it is valid). */
function problems(data: unknown): string[] {
  try {
    validateResultFile(data, "x.json");
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ResultFileError);
    return (err as ResultFileError).problems;
  }
}

describe("validateResultFile", () => {
  it("accepts a complete version-1 file and returns it as is", () => {
    const run = fixtureRun();
    expect(validateResultFile(clone(run))).toEqual(run);
    expect(run.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it("names a missing field and a field of the wrong type by their JSON path", () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JSON clone broken on purpose
    const run = clone(fixtureRun()) as unknown as Record<string, any>;
    delete run.machine.cpuModel;
    run.suites[1].timings[0].medianMs = "fast";
    expect(problems(run)).toEqual([
      "$.machine.cpuModel is missing",
      "$.suites[1].timings[0].medianMs must be a finite number >= 0, got fast",
    ]);
  });

  it("takes a timing's role (quantkit, peer or baseline) when present, and a file without roles", () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JSON clone broken on purpose
    const run = clone(fixtureRun()) as unknown as Record<string, any>;
    expect(run.suites[0].timings.map((t: { role: string }) => t.role)).toEqual([
      "quantkit",
      "quantkit",
      "peer",
      "quantkit",
      "peer",
      "quantkit",
    ]);
    run.suites[0].timings[2].role = "competitor";
    expect(problems(run)).toEqual([
      '$.suites[0].timings[2].role must be one of "quantkit", "peer", "baseline", got "competitor"',
    ]);
    for (const s of run.suites) for (const t of s.timings) delete t.role;
    expect(problems(run)).toEqual([]);
  });

  it("refuses another schema version by name, before looking at the rest", () => {
    const run = { ...clone(fixtureRun()), schemaVersion: 2, suites: "whatever" };
    expect(problems(run)).toEqual(["schemaVersion 2 is not supported: this code reads version 1"]);
  });

  it("refuses a file of another schema", () => {
    expect(problems({ schema: "something-else" })[0]).toBe(
      '$.schema must be one of "quantkit-bench-result", got "something-else"',
    );
    expect(problems([])).toEqual(["$ must be an object, got an array"]);
  });

  it("requires min <= median <= max in timings, throughputs and ratios", () => {
    const run = clone(fixtureRun());
    run.suites[0]!.timings[1]!.minMs = 99;
    run.suites[0]!.ratios[0]!.max = 0;
    expect(problems(run)).toEqual([
      "$.suites[0].timings[1] must have minMs <= medianMs <= maxMs, got 99, 2, 2.4",
      "$.suites[0].ratios[0] must have min <= median <= max, got 2.25, 2.5, 0",
    ]);
  });

  it("requires a reason for a skipped or failed suite", () => {
    const run = clone(fixtureRun());
    run.suites[3]!.reason = null;
    expect(problems(run)).toEqual(['$.suites[3].reason must say why a suite is "skipped"']);
  });

  it("requires a ratio to name timings of its own suite, and ids to be unique", () => {
    const run = clone(fixtureRun());
    run.suites[0]!.ratios[0]!.reference = "nowhere";
    run.suites[1]!.timings[1]!.id = run.suites[1]!.timings[0]!.id;
    expect(problems(run)).toEqual([
      '$.suites[0].ratios[0].reference "nowhere" names no timing of this suite',
      '$.suites[1].timings[1].id "i8/js/64" is not unique',
    ]);
  });

  it("accepts a suite without exactness (files written before it was recorded) and checks it when present", () => {
    const run = clone(fixtureRun());
    expect(run.suites[1]!.exactness).toHaveLength(4);
    expect(run.suites[0]!.exactness).toBeUndefined();
    expect(problems(run)).toEqual([]);
    // biome-ignore lint/suspicious/noExplicitAny: a JSON clone broken on purpose
    const bad = clone(fixtureRun()) as unknown as Record<string, any>;
    const e = bad.suites[1].exactness;
    e[3].differing = 70_000; // more than its 65,536 outputs
    e[2].equal = false; // but nothing differs
    e[1].timing = "nowhere";
    e[0].outputs = 0;
    delete e[0].label;
    expect(problems(bad)).toEqual([
      "$.suites[1].exactness[0].label is missing",
      "$.suites[1].exactness[0].outputs must be an integer >= 1, got 0",
      "$.suites[1].exactness[2].equal must be true exactly when differing and maxAbsDiff are 0, got false, 0, 0",
      "$.suites[1].exactness[3].differing must be at most outputs (65536), got 70000",
      '$.suites[1].exactness[1].timing "nowhere" names no timing of this suite',
    ]);
  });

  it("refuses an ok suite that recorded one of quantkit's results as inexact (ours must be exact)", () => {
    const run = clone(fixtureRun());
    Object.assign(run.suites[1]!.exactness![0]!, { equal: false, differing: 1, maxAbsDiff: 1 });
    expect(problems(run)).toEqual([
      '$.suites[1].exactness[0] is quantkit\'s and inexact, so the suite cannot be "ok"',
    ]);
    run.suites[1]!.status = "failed";
    run.suites[1]!.reason = "js matmulInteger 64x64x64 differs from the reference";
    expect(problems(run)).toEqual([]);
  });

  it("rejects NaN and Infinity (JSON writes them as null) and a bad enum", () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JSON clone broken on purpose
    const run = clone(fixtureRun()) as unknown as Record<string, any>;
    run.suites[4].metrics[0].value = null;
    run.mode = "fast";
    run.suites[4].metrics[1].better = "more";
    expect(problems(run)).toEqual([
      '$.mode must be one of "quick", "full", got "fast"',
      "$.suites[4].metrics[0].value must be a finite number, got null",
      '$.suites[4].metrics[1].better must be one of "higher", "lower", got "more"',
    ]);
  });

  it("lists every problem in the error message, naming the file", () => {
    expect(() => validateResultFile({}, "bench-results/x.json")).toThrow(
      /^bench-results\/x\.json is not a valid quantkit-bench-result file:\n {2}\$\.schema is missing/,
    );
  });
});

describe("parseResultFile", () => {
  it("parses and validates JSON text", () => {
    expect(parseResultFile(JSON.stringify(fixtureRun())).suites.map((s) => s.status)).toEqual([
      "ok",
      "ok",
      "ok",
      "skipped",
      "ok",
    ]);
  });

  it("reports a JSON syntax error as a ResultFileError naming the file", () => {
    expect(() => parseResultFile("{ nope", "base.json")).toThrow(ResultFileError);
    expect(() => parseResultFile("{ nope", "base.json")).toThrow(
      /^base\.json is not a valid .*\n {2}not JSON: /,
    );
  });
});
