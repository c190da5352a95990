#!/usr/bin/env node
// Runs the tests that touch onnxruntime-node's integer kernels on an emulated x86 CPU without VNNI
// (QEMU user mode, `-cpu Haswell`: AVX2, no AVX-512, no VNNI), where onnxruntime's uint8 x int8
// MatMulInteger saturates pairs of products to int16. It shows on any x86 machine that the suite holds
// on such CPUs (AMD Zen 3 and older) too. Needs Debian's qemu-user (`apt-get install qemu-user`).
// vitest runs with --pool=threads so that its workers stay inside the emulated process.
// Usage: pnpm test:no-vnni [more vitest arguments or test files]
import { spawnSync } from "node:child_process";

const hasQemu = spawnSync("sh", ["-c", "command -v qemu-x86_64"], { stdio: "ignore" }).status === 0;
if (!hasQemu) {
  console.error("test:no-vnni: qemu-x86_64 not found: apt-get install qemu-user");
  process.exit(2);
}
const FILES = [
  "packages/kernels/test/onnxruntime.test.ts",
  "packages/kernels/test/gemmBench.test.ts",
  "apps/bench/src/onnx/model.test.ts",
  "apps/bench/src/suites/_gemm.test.ts",
  "packages/onnx/test/quantizeDynamic.test.ts",
  "packages/onnx/test/quantizeDynamicLstm.test.ts",
  "packages/onnx/test/calibrate.test.ts",
  "packages/onnx/test/quantizeLinear.test.ts",
  "packages/weights/test/onnxruntime.test.ts",
];
const extra = process.argv.slice(2);
const args = ["-cpu", "Haswell", process.execPath, "node_modules/vitest/vitest.mjs", "run", "--pool=threads"];
args.push(...(extra.some((a) => !a.startsWith("-")) ? extra : [...FILES, ...extra]));
console.log("test:no-vnni: an emulated Haswell CPU (AVX2, no VNNI); expect several minutes");
const r = spawnSync("qemu-x86_64", args, { stdio: ["inherit", "inherit", "pipe"], encoding: "utf8" });
// QEMU warns once per CPUID feature its TCG lacks (x2apic, rtm…): noise, not test output.
process.stderr.write(
  (r.stderr ?? "")
    .split("\n")
    .filter((l) => !l.includes("TCG doesn't support requested feature"))
    .join("\n"),
);
process.exit(r.status ?? 1);
