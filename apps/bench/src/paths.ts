import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/bench/ (this file is apps/bench/src/paths.ts). */
export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The monorepo root: the closest folder above apps/bench holding pnpm-workspace.yaml. */
export function findRepoRoot(start = APP_DIR): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`no pnpm-workspace.yaml above ${start}: run the bench inside the quantkit checkout`);
    dir = up;
  }
}

/**
 * Resolves a path the user typed. `pnpm bench` runs the script in apps/bench, so a relative path is
 * taken against INIT_CWD (where the user typed `pnpm …`, set by pnpm and npm) and only then the cwd.
 */
export function resolveUserPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isAbsolute(path)) return path;
  return resolve(env.INIT_CWD ?? process.cwd(), path);
}
