import { defineConfig } from "vitest/config";

// One config for every package: tests import siblings from source through the
// "@quantkit/source" export condition, so no test waits on a build.
export default defineConfig({
  resolve: {
    conditions: ["@quantkit/source"],
  },
  ssr: {
    resolve: {
      conditions: ["@quantkit/source"],
    },
  },
  test: {
    include: ["packages/*/{src,test}/**/*.test.ts", "apps/*/{src,test}/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.browser.test.ts", "**/e2e/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
