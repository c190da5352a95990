import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import type { MachineInfo } from "./schema";

function git(repoRoot: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

/** The version in `<pkg>/package.json` as resolved from `fromDir`, or null when it is not installed. */
export function installedVersion(pkg: string, fromDir: string): string | null {
  try {
    const require = createRequire(join(fromDir, "package.json"));
    const path = require.resolve(`${pkg}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/**
 * Describes this machine and the measured tree: CPU model, cores, memory, OS, Node and V8, the installed
 * gpu.js (as @quantkit/kernels-gpu resolves it) and onnxruntime-node, the X display, the git commit.
 *
 * @example
 * machineInfo("/work/main").cores; // 2
 */
export function machineInfo(repoRoot: string): MachineInfo {
  const cpus = os.cpus();
  const commit = git(repoRoot, ["rev-parse", "HEAD"]);
  const status = commit === null ? null : git(repoRoot, ["status", "--porcelain", "--untracked-files=no"]);
  return {
    cpuModel: cpus[0]?.model.trim() || "unknown",
    cores:
      typeof os.availableParallelism === "function" ? os.availableParallelism() : Math.max(1, cpus.length),
    totalMemoryBytes: os.totalmem(),
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    node: process.version,
    v8: process.versions.v8,
    gpujs: installedVersion("gpu.js", join(repoRoot, "packages", "kernels-gpu")),
    onnxruntime: installedVersion("onnxruntime-node", join(repoRoot, "apps", "bench")),
    display: process.env.DISPLAY ?? null,
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
  };
}
