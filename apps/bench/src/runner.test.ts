import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "./paths";
import type { SuiteEntry } from "./registry";
import { resultPath, runSuites, writeResult } from "./runner";
import { parseResultFile } from "./validateResultFile";

const repoRoot = findRepoRoot();
const tsx = import.meta.resolve("tsx");
const execArgv = ["--conditions=@quantkit/source", "--import", tsx];
const entry = (name: string): SuiteEntry => ({
  id: name,
  title: name,
  package: "test",
  quickLimitMs: 60_000,
  load: () => Promise.reject(new Error("runs in the child")),
  moduleUrl: pathToFileURL(join(repoRoot, "apps/bench/test/suites", `${name}.ts`)).href,
});
const dir = mkdtempSync(join(tmpdir(), "quantkit-bench-runner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runSuites", () => {
  it("runs each suite in its own process and assembles a valid file: ok, skipped with its reason, failed with its error", async () => {
    const progress: string[] = [];
    const run = await runSuites(
      [entry("measuring"), entry("skipping"), entry("failing")],
      {
        mode: "quick",
        repoRoot,
        argv: ["--suite", "test"],
        signal: new AbortController().signal,
        method: { warmupRounds: 1, repetitions: 5, minSampleMs: 2 },
        execArgv,
      },
      { onProgress: (e, _i, f, label) => progress.push(`${e.id} ${f} ${label}`) },
    );
    expect(run.suites.map((s) => [s.id, s.status])).toEqual([
      ["measuring", "ok"],
      ["skipping", "skipped"],
      ["failing", "failed"],
    ]);
    const [ok, skipped, failed] = run.suites;
    expect(progress).toContain("measuring 0.5 copying");
    expect(ok!.timings.map((t) => [t.id, t.samples])).toEqual([
      ["copy-once", 5],
      ["copy-8x", 5],
    ]);
    expect(ok!.backends).toEqual(["js"]);
    // No assertion on the value itself (timings are not tested here): its links and its pairing.
    expect(ok!.ratios[0]).toMatchObject({
      subject: "copy-once",
      reference: "copy-8x",
      pairs: 5,
      headline: true,
    });
    expect(skipped!.reason).toBe("no gpu.js backend on this machine");
    expect(skipped!.timings).toEqual([]);
    expect(failed!.reason).toMatch(/^RangeError: kernel differs from onnxruntime at \[3\]/);
    expect(run.method).toEqual({
      warmupRounds: 1,
      repetitions: 5,
      minSampleMs: 2,
      statistic: "median",
      ratio: "paired",
    });
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.machine.gitCommit).toMatch(/^[0-9a-f]{40}$/);

    // Written and read back through the validator unchanged.
    const path = resultPath(dir, run);
    writeResult(path, run);
    expect(parseResultFile(readFileSync(path, "utf8"), path)).toEqual(run);
  }, 60_000);

  it("stops at once when aborted, rejecting with the abort reason", async () => {
    const controller = new AbortController();
    const pending = runSuites(
      [entry("measuring")],
      { mode: "quick", repoRoot, argv: [], signal: controller.signal, execArgv },
      { onSuiteStart: () => setTimeout(() => controller.abort(new Error("interrupted")), 50) },
    );
    await expect(pending).rejects.toThrow("interrupted");
  }, 60_000);
});

describe("resultPath", () => {
  it("names the file <date>-<commit>.json and never overwrites an earlier run", () => {
    const run = {
      createdAt: "2026-11-26T17:03:59.000Z",
      machine: { gitCommit: "0123456789abcdef" },
    } as never;
    const first = resultPath(dir, run);
    expect(first).toBe(join(dir, "2026-11-26-0123456.json"));
    writeFileSync(first, "{}");
    expect(resultPath(dir, run)).toBe(join(dir, "2026-11-26-0123456-2.json"));
  });
});
