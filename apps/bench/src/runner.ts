import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage } from "./child";
import type { Method, Mode } from "./context";
import { machineInfo } from "./machine";
import type { SuiteEntry } from "./registry";
import { type BenchResultFile, SCHEMA_NAME, SCHEMA_VERSION, type SuiteResult } from "./schema";
import { validateResultFile } from "./validateResultFile";

/** The timing method of each mode. Quick is sized to finish every suite in under 3 minutes on 2 cores. */
export const METHODS: Record<Mode, Method> = {
  quick: { warmupRounds: 2, repetitions: 7, minSampleMs: 15 },
  full: { warmupRounds: 3, repetitions: 15, minSampleMs: 50 },
};

/** Progress callbacks of {@link runSuites}. */
export interface RunHooks {
  onSuiteStart?: (entry: SuiteEntry, index: number) => void;
  onProgress?: (entry: SuiteEntry, index: number, fraction: number, label: string) => void;
  onSuiteEnd?: (entry: SuiteEntry, index: number, result: SuiteResult) => void;
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

/** Runs one suite in a child process; rejects with the signal's reason when aborted. */
function runSuite(
  entry: SuiteEntry,
  config: { mode: Mode; method: Method; repoRoot: string },
  signal: AbortSignal,
  onProgress: (fraction: number, label: string) => void,
  execArgv: string[],
): Promise<SuiteResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // The child gets this process's flags (--conditions=@quantkit/source --import tsx). Its output
    // is kept, not shown: a package's console.log would tear the progress bar.
    const child: ChildProcess = fork(
      CHILD,
      [entry.id, JSON.stringify({ ...config, moduleUrl: entry.moduleUrl })],
      {
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        execArgv,
        env: { ...process.env, QUANTKIT_BENCH_CHILD: "1" },
      },
    );
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let result: SuiteResult | null = null;
    const limitMs = config.mode === "quick" ? entry.quickLimitMs : entry.quickLimitMs * 10;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    const onAbort = () => child.kill("SIGKILL");
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("message", (m: ChildMessage) => {
      if (m.type === "progress") onProgress(m.fraction, m.label);
      else if (m.type === "result") result = m.result;
    });
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      if (signal.aborted) return reject(signal.reason);
      if (result) return resolve(result);
      const why = timedOut
        ? `stopped after the ${(limitMs / 1000).toFixed(0)} s limit of a ${config.mode} run`
        : `the suite's process exited (${sig ?? `code ${code}`}) without a result`;
      resolve({
        id: entry.id,
        title: entry.title,
        package: entry.package,
        status: "failed",
        reason: `${why}${output.trim() ? `; its last output:\n${output.trim().slice(-1500)}` : ""}`,
        source: null,
        durationMs: performance.now() - t0,
        backends: [],
        timings: [],
        ratios: [],
        metrics: [],
        notes: [],
      });
    });
  });
}

/**
 * Runs `entries` one after the other (each in its own process) and assembles the result file, validated
 * before it is returned. Rejects with the signal's reason when aborted (Ctrl-C).
 *
 * @example
 * const run = await runSuites(SUITES, { mode: "quick", repoRoot, argv: [], signal });
 */
export async function runSuites(
  entries: readonly SuiteEntry[],
  options: {
    mode: Mode;
    repoRoot: string;
    argv: string[];
    signal: AbortSignal;
    method?: Method;
    /** Node flags of the suites' processes; default this process's (which bin/bench.mjs sets). */
    execArgv?: string[];
  },
  hooks: RunHooks = {},
): Promise<BenchResultFile> {
  const method = options.method ?? METHODS[options.mode];
  const createdAt = new Date().toISOString();
  const t0 = performance.now();
  const machine = machineInfo(options.repoRoot);
  const suites: SuiteResult[] = [];
  for (const [i, entry] of entries.entries()) {
    options.signal.throwIfAborted();
    hooks.onSuiteStart?.(entry, i);
    const result = await runSuite(
      entry,
      { mode: options.mode, method, repoRoot: options.repoRoot },
      options.signal,
      (fraction, label) => hooks.onProgress?.(entry, i, fraction, label),
      options.execArgv ?? process.execArgv,
    );
    suites.push(result);
    hooks.onSuiteEnd?.(entry, i, result);
  }
  const file: BenchResultFile = {
    schema: SCHEMA_NAME,
    schemaVersion: SCHEMA_VERSION,
    createdAt,
    mode: options.mode,
    durationMs: performance.now() - t0,
    argv: options.argv,
    machine,
    method: { ...method, statistic: "median", ratio: "paired" },
    suites,
  };
  return validateResultFile(JSON.parse(JSON.stringify(file)), "this run's result");
}

/**
 * `bench-results/<date>-<commit>.json` (date in UTC, YYYY-MM-DD; commit abbreviated to 7 digits), with
 * `-2`, `-3`… appended rather than overwriting an earlier run of the same day and commit.
 *
 * @example
 * resultPath("/repo/bench-results", run); // "/repo/bench-results/2026-11-26-8157f8a.json"
 */
export function resultPath(dir: string, run: BenchResultFile): string {
  const date = run.createdAt.slice(0, 10);
  const commit = run.machine.gitCommit?.slice(0, 7) ?? "nogit";
  let path = join(dir, `${date}-${commit}.json`);
  for (let i = 2; existsSync(path); i++) path = join(dir, `${date}-${commit}-${i}.json`);
  return path;
}

/** Writes the run as pretty JSON (diffable, a few hundred KB at most). */
export function writeResult(path: string, run: BenchResultFile): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`);
}
