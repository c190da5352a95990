#!/usr/bin/env node
// The main job, as the README's first command runs it: `quantkit run` on the bundled MNIST (the
// seed's experiment: the MLP trained in fp32, quantized after training and with quantization-aware
// training; accuracy, size and speed in one table). Extra arguments go to `quantkit run`
// (`pnpm start --bits 4`, `pnpm start --json`). The CLI runs from source, no build needed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../apps/demo/bin/quantkit.mjs", import.meta.url));
const args = process.argv.slice(2);
const child = spawn(process.execPath, [bin, "run", ...(args[0] === "--" ? args.slice(1) : args)], {
  stdio: "inherit",
});
// Ctrl-C reaches the child too (same process group): it stops after its current step and prints what
// finished; this process waits for it instead of dying first.
process.on("SIGINT", () => {});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
