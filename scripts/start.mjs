#!/usr/bin/env node
// The main job, as the README's first command runs it. Until the `quantkit` command line
// exists, it builds @quantkit/numeric and prints the deck's float explainer for a few values.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (existsSync(new URL("../apps/demo/bin/quantkit.mjs", import.meta.url))) {
  run("pnpm", ["quantkit", "run", ...process.argv.slice(2)]);
} else {
  run("pnpm", ["exec", "turbo", "run", "build", "--filter=@quantkit/numeric", "--output-logs=errors-only"]);
  const { float32, float16, bfloat16, float8e4m3fn } = await import("../packages/numeric/dist/index.js");
  for (const v of [0.15625, 1 / 3, 65504, -2.5e-8]) {
    for (const format of [float32, float16, bfloat16, float8e4m3fn]) console.log(format.explain(v).text);
    console.log("");
  }
}
