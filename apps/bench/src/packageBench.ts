import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * A package's bench function (`packages/<name>/bench/*.bench.ts`, `apps/demo/bench/*.bench.ts`) as a
 * suite runs it: imported by the suite as a typed module, so that a renamed or missing entry point
 * fails the type-check and the suite's run, never skips it.
 */
export interface BenchEntry<F> {
  /** Path from the repo root of the module the suite imports `fn` from. */
  file: string;
  /** The function's name, e.g. "benchFloat16". */
  name: string;
  fn: F;
  /** "packages/numeric/bench/float16.bench.ts#benchFloat16", stored as the suite's source. */
  source: string;
}

/**
 * Names a bench function the suite imported from `file` (a path from `repoRoot`) for the result file.
 * Throws when `file` is not there, so that the path written for the record cannot drift from the
 * import, and when `fn` is not a function.
 *
 * @example
 * import { benchFloat16 } from "../../../../packages/numeric/bench/float16.bench";
 * benchEntry(repoRoot, "packages/numeric/bench/float16.bench.ts", benchFloat16).source;
 * // "packages/numeric/bench/float16.bench.ts#benchFloat16"
 */
export function benchEntry<F extends (...args: never[]) => unknown>(
  repoRoot: string,
  file: string,
  fn: F,
): BenchEntry<F> {
  if (typeof fn !== "function") throw new TypeError(`${file} must export a bench function, got ${typeof fn}`);
  if (!existsSync(join(repoRoot, file))) {
    throw new Error(`${file} does not exist under ${repoRoot}: the suite imports ${fn.name} from it`);
  }
  return { file, name: fn.name, fn, source: `${file}#${fn.name}` };
}
