#!/usr/bin/env node
// The whole test suite: unit and integration tests of every package and app (vitest.config.ts),
// then the browser tests (vitest.browser.config.ts: Debian's chromium through playwright-core).
// GPU tests need an X display for gpu.js's headless-gl backend: without DISPLAY the suite runs
// under xvfb-run.
import { spawnSync } from "node:child_process";

const hasCommand = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const wrap =
  !process.env.DISPLAY && hasCommand("xvfb-run") ? ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"] : [];
if (!process.env.DISPLAY && wrap.length === 0) {
  console.warn("test: no DISPLAY and no xvfb-run: gpu.js's headlessgl tests will fail (install xvfb)");
}
const extra = process.argv.slice(2);

function run(args) {
  const [cmd, ...rest] = [...wrap, ...args];
  const r = spawnSync(cmd, rest, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(["pnpm", "exec", "vitest", "run", "--config", "vitest.config.ts", ...extra]);
run(["pnpm", "exec", "vitest", "run", "--config", "vitest.browser.config.ts", "--passWithNoTests", ...extra]);
