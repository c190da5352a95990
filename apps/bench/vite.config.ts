import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

// The benchmark dashboard: a static page (dist/) that works from any static server or from disk, with
// no network. The result files found in bench-results/ (or BENCH_RESULTS_DIR) at build time are bundled
// and listed; any other file opens through the page's file input.
const here = fileURLToPath(new URL(".", import.meta.url));
const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(here, "..", "..", "bench-results");

function benchResults(): Plugin {
  const id = "virtual:bench-results";
  return {
    name: "quantkit-bench-results",
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const files = existsSync(resultsDir)
        ? readdirSync(resultsDir)
            .filter((f) => f.endsWith(".json") && !f.endsWith(".tmp.json"))
            .sort()
            .map((name) => ({ name, text: readFileSync(join(resultsDir, name), "utf8") }))
        : [];
      for (const f of files) this.addWatchFile(join(resultsDir, f.name));
      // Validation happens in the page, so that a bad file is shown with its problems, not a failed build.
      return `export const files = ${JSON.stringify(files)};`;
    },
  };
}

export default defineConfig({
  root: join(here, "dashboard"),
  base: "./",
  resolve: { conditions: ["@quantkit/source", ...defaultClientConditions] },
  plugins: [benchResults()],
  build: {
    outDir: process.env.BENCH_DASHBOARD_OUT ?? join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
  },
  preview: { host: "127.0.0.1" },
  server: { host: "127.0.0.1" },
});
