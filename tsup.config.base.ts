import { defineConfig, type Options } from "tsup";

/**
 * The one build config every package uses: ESM + CJS + .d.ts + sourcemaps from `src/index.ts`.
 * A package passes extra entries (a CLI, a worker) or externals through `overrides`.
 */
export function quantkitTsup(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    treeshake: true,
    splitting: false,
    ...overrides,
  });
}
