/**
 * `pnpm bench` from the repo root: runs the suites, shows progress, writes
 * bench-results/<date>-<commit>.json, and with `--compare base.json` gates on the ratios.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { compareRuns, formatComparison } from "./compare";
import type { Mode } from "./context";
import { summarizeExactness } from "./exactness";
import { findRepoRoot, resolveUserPath } from "./paths";
import { SUITES, type SuiteEntry, suiteEntry } from "./registry";
import { resultPath, runSuites, writeResult } from "./runner";
import type { BenchResultFile } from "./schema";
import { parseResultFile } from "./validateResultFile";

const program = new Command()
  .name("pnpm bench")
  .description(
    "quantkit's benchmarks: a quick run by default (under 3 minutes on 2 cores), --full for all sizes.",
  )
  .option("--full", "larger sizes and more rounds")
  .option("-s, --suite <ids>", `comma-separated suites to run (${SUITES.map((s) => s.id).join(", ")})`)
  .option("--list", "list the suites and exit")
  .option("--compare <base>", "compare this run's ratios with a base result file; exit 1 when one regressed")
  .option(
    "--threshold <percent>",
    "how far (percent) a ratio may fall before --compare fails",
    parsePercent,
    10,
  )
  .option("--current <file>", "with --compare: compare this existing result file instead of running")
  .option("--out <file>", "where to write the result (default: bench-results/<date>-<commit>.json)")
  .option("--no-write", "do not write a result file")
  .option("--no-progress", "print one line per suite instead of the progress bar")
  .showHelpAfterError();

function parsePercent(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < 0 || x >= 100) {
    throw new InvalidArgumentError(
      `--threshold must be a percentage in [0, 100), got ${JSON.stringify(value)}`,
    );
  }
  return x;
}

function readRun(path: string): BenchResultFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseResultFile(text, path);
}

const fmtMs = (ms: number) =>
  ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

function summary(run: BenchResultFile): string[] {
  const lines = [
    `${run.mode} run in ${fmtMs(run.durationMs)} on ${run.machine.cpuModel} (${run.machine.cores} cores)`,
  ];
  for (const s of run.suites) {
    const why = s.reason ? `: ${s.reason.split("\n")[0]}` : "";
    lines.push(`  ${s.id.padEnd(12)} ${s.status.padEnd(8)} ${fmtMs(s.durationMs).padStart(8)}${why}`);
  }
  const exactness = summarizeExactness(run);
  if (exactness.length > 0)
    lines.push("exactness against the reference (peers measured, quantkit must be exact):");
  for (const e of exactness) lines.push(`  ${e.suite}: ${e.text}`);
  const headlines = run.suites.flatMap((s) => s.ratios.filter((r) => r.headline).map((r) => ({ s, r })));
  if (headlines.length > 0)
    lines.push("headline ratios (median [min, max] over paired rounds; > 1: subject faster):");
  for (const { r } of headlines) {
    lines.push(`  ${r.label}: ${r.median.toFixed(3)} [${r.min.toFixed(3)}, ${r.max.toFixed(3)}]`);
  }
  const acc = run.suites.flatMap((s) =>
    s.metrics.filter((m) => m.kind === "accuracy" && m.params.headline === true),
  );
  for (const m of acc) lines.push(`  ${m.label}: ${(m.value * 100).toFixed(2)}%`);
  return lines;
}

async function main(argv: string[]): Promise<number> {
  program.parse(argv, { from: "user" });
  const opts = program.opts<{
    full?: boolean;
    suite?: string;
    list?: boolean;
    compare?: string;
    threshold: number;
    current?: string;
    out?: string;
    write: boolean;
    progress: boolean;
  }>();
  if (opts.list) {
    for (const s of SUITES) console.log(`${s.id.padEnd(12)} ${s.package.padEnd(28)} ${s.title}`);
    return 0;
  }
  const repoRoot = findRepoRoot();
  const base = opts.compare ? readRun(resolveUserPath(opts.compare)) : null;
  if (opts.current && !base) throw new Error("--current needs --compare <base>");

  let run: BenchResultFile;
  if (opts.current) {
    run = readRun(resolveUserPath(opts.current));
  } else {
    const mode: Mode = opts.full ? "full" : "quick";
    const entries: SuiteEntry[] = opts.suite
      ? opts.suite
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)
          .map(suiteEntry)
      : [...SUITES];
    run = await runWithProgress(
      entries,
      mode,
      repoRoot,
      argv,
      opts.progress && process.stdout.isTTY === true,
    );
    for (const line of summary(run)) console.log(line);
    if (opts.write) {
      const path = opts.out ? resolveUserPath(opts.out) : resultPath(join(repoRoot, "bench-results"), run);
      writeResult(path, run);
      console.log(`wrote ${relative(process.env.INIT_CWD ?? process.cwd(), path) || path}`);
    }
  }
  if (base) {
    const cmp = compareRuns(base, run, opts.threshold / 100);
    console.log(`compared with ${opts.compare}:`);
    for (const line of formatComparison(cmp)) console.log(line);
    if (cmp.regressions.length > 0) return 1;
  }
  return 0;
}

async function runWithProgress(
  entries: SuiteEntry[],
  mode: Mode,
  repoRoot: string,
  argv: string[],
  tty: boolean,
): Promise<BenchResultFile> {
  const controller = new AbortController();
  const bar = tty
    ? new SingleBar({
        format: " {bar} {percentage}% | {suite} | {label} | {duration_formatted}",
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 1,
      })
    : null;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    bar?.stop();
    if (interrupts > 1) process.exit(130);
    console.error(
      "\ninterrupted: stopping the running suite (Ctrl-C again to quit at once); no result file written",
    );
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSigint);
  const scale = 1000;
  bar?.start(entries.length * scale, 0, { suite: entries[0]?.id ?? "", label: "starting" });
  try {
    return await runSuites(
      entries,
      { mode, repoRoot, argv, signal: controller.signal },
      {
        onSuiteStart: (e, i) => {
          bar?.update(i * scale, { suite: e.id, label: "starting" });
          if (!bar) console.log(`[${i + 1}/${entries.length}] ${e.id}: ${e.title}`);
        },
        onProgress: (e, i, f, label) => bar?.update(Math.round((i + f) * scale), { suite: e.id, label }),
        onSuiteEnd: (e, i, r) => {
          bar?.update((i + 1) * scale, { suite: e.id, label: r.status });
          if (!bar) console.log(`      ${r.status} in ${fmtMs(r.durationMs)}`);
        },
      },
    );
  } finally {
    bar?.stop();
    process.off("SIGINT", onSigint);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof Error && err.message === "interrupted") {
      process.exitCode = 130;
      return;
    }
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  },
);
