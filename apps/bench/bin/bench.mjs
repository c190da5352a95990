#!/usr/bin/env node
// Starts the bench runner (src/cli.ts) under tsx with the "@quantkit/source" export condition, so that
// every package is measured from its source as it is in the tree (no build needed). Without an X display
// it runs under xvfb-run when that exists, so that gpu.js can use its headless-gl backend (the result
// file records the backend that actually ran either way). Set QUANTKIT_BENCH_NO_XVFB=1 to skip that.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
// `pnpm bench -- --full` may hand the runner a literal "--" first.
const args = process.argv.slice(2);
if (args[0] === "--") args.shift();

const nodeArgs = ["--conditions=@quantkit/source", "--import", tsx, cli, ...args];
const hasXvfb = spawnSync("sh", ["-c", "command -v xvfb-run"], { stdio: "ignore" }).status === 0;
const wrap = !process.env.DISPLAY && hasXvfb && !process.env.QUANTKIT_BENCH_NO_XVFB;
const [cmd, ...rest] = wrap
  ? ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", process.execPath, ...nodeArgs]
  : [process.execPath, ...nodeArgs];

const child = spawn(cmd, rest, { stdio: "inherit" });
// Ctrl-C reaches the whole process group: the runner handles it; this launcher only waits for it.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal === "SIGINT" ? 130 : 1);
});
