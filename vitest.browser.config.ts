import { defineConfig } from "vitest/config";

// Browser tests: each drives Debian's chromium through playwright-core (see design.md) and
// builds what it serves itself. Kept apart from the unit tests: slower, and they need chromium.
export default defineConfig({
  resolve: { conditions: ["@quantkit/source"] },
  ssr: { resolve: { conditions: ["@quantkit/source"] } },
  test: {
    include: ["packages/*/test/**/*.browser.test.ts", "apps/*/e2e/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
