#!/usr/bin/env node
// The whole test suite: unit and integration tests of every package and app (vitest.config.ts),
// then the browser tests (vitest.browser.config.ts: Debian's chromium through playwright-core).
// GPU tests need an X display for gpu.js's headless-gl backend: without DISPLAY the suite runs
// under xvfb-run. Ends with one plain line: "test: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const hasCommand = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const wrap =
  !process.env.DISPLAY && hasCommand("xvfb-run") ? ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"] : [];
if (!process.env.DISPLAY && wrap.length === 0) {
  console.warn("test: no DISPLAY and no xvfb-run: gpu.js's headlessgl tests will fail (install xvfb)");
}
const extra = process.argv.slice(2);
const reports = mkdtempSync(join(tmpdir(), "quantkit-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;

function run(config, name) {
  const report = join(reports, `${name}.json`);
  const args = ["pnpm", "exec", "vitest", "run", "--config", config, "--passWithNoTests"];
  args.push("--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra);
  const [cmd, ...rest] = [...wrap, ...args];
  const r = spawnSync(cmd, rest, { stdio: "inherit" });
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
  } catch {
    totals.failed += 1; // the run died before it could report
  }
  if (r.status !== 0) status = r.status ?? 1;
}

run("vitest.config.ts", "unit");
run("vitest.browser.config.ts", "browser");
rmSync(reports, { recursive: true, force: true });
console.log(`test: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
