import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

/** A package's bench module (`packages/<name>/bench/*.bench.ts`), imported. */
export interface BenchModule {
  /** Path from the repo root, e.g. "packages/numeric/bench/float16.bench.ts". */
  file: string;
  exports: Record<string, unknown>;
}

/** A function a package's bench module exports. */
export interface BenchFunction {
  file: string;
  name: string;
  fn: (...args: unknown[]) => unknown;
  /** "packages/numeric/bench/float16.bench.ts#benchEncode", stored as the suite's source. */
  source: string;
}

/**
 * Imports every `packages/<dir>/bench/*.bench.ts` of one package (sorted by name), or every
 * `*.bench.ts` of `dir` itself when it is a path from the repo root with a slash ("apps/demo/bench").
 * Returns [] when the folder or the files do not exist yet; an import that throws propagates (a broken
 * bench is a failure, not a skip).
 *
 * @example
 * (await loadBenchModules(repoRoot, "numeric")).map((m) => m.file); // ["packages/numeric/bench/float16.bench.ts"]
 * (await loadBenchModules(repoRoot, "apps/demo/bench")).map((m) => m.file); // ["apps/demo/bench/accuracy.bench.ts"]
 */
export async function loadBenchModules(repoRoot: string, dir: string): Promise<BenchModule[]> {
  const folder = dir.includes("/") ? join(repoRoot, dir) : join(repoRoot, "packages", dir, "bench");
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort();
  const out: BenchModule[] = [];
  for (const f of files) {
    const path = join(folder, f);
    const exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    out.push({ file: relative(repoRoot, path), exports });
  }
  return out;
}

/**
 * The first exported function whose name matches `pattern`, across `modules`, or null.
 *
 * @example
 * findBenchFunction(modules, /^bench(Float16|Encode)/)?.source; // "packages/numeric/bench/float16.bench.ts#benchFloat16"
 */
export function findBenchFunction(modules: readonly BenchModule[], pattern: RegExp): BenchFunction | null {
  for (const m of modules) {
    for (const [name, value] of Object.entries(m.exports)) {
      if (typeof value === "function" && pattern.test(name)) {
        return { file: m.file, name, fn: value as BenchFunction["fn"], source: `${m.file}#${name}` };
      }
    }
  }
  return null;
}

/**
 * Imports a workspace package from source, or returns null with the reason when it cannot (not written
 * yet, or its index does not load). Used for the public API a suite measures directly.
 */
export async function importPackage(
  name: string,
): Promise<{ module: Record<string, unknown>; error: null } | { module: null; error: string }> {
  try {
    return { module: (await import(name)) as Record<string, unknown>, error: null };
  } catch (err) {
    return { module: null, error: `${name} does not load: ${(err as Error).message.split("\n")[0]}` };
  }
}
