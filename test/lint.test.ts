// `pnpm lint` as a test, so that CI's test command catches formatting and lint errors: biome on every
// file git tracks (what a fresh clone has; scratch files beside a checkout do not count).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("lint", () => {
  it("biome check finds nothing in the tracked files", () => {
    const tracked = spawnSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" });
    if (tracked.status !== 0) return; // not a git checkout (a published tarball): nothing to check
    const files = tracked.stdout.split("\0").filter((f) => /\.(ts|tsx|js|mjs|cjs|json)$/.test(f));
    expect(files.length).toBeGreaterThan(500);
    const biome = join(root, "node_modules", ".bin", "biome");
    const r = spawnSync(biome, ["check", "--no-errors-on-unmatched", "--max-diagnostics=20", ...files], {
      cwd: root,
      encoding: "utf8",
    });
    expect(`${r.stdout}${r.stderr}`.includes("Found") ? `${r.stdout}${r.stderr}` : "").toBe("");
    expect(r.status).toBe(0);
  });
});
