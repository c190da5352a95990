#!/usr/bin/env node
// Commits new reference screenshots, explicitly: the browser tests write theirs to the ignored
// .artifacts/screenshots/<app>/ (a test run never rewrites the tree); this copies them over the tracked
// apps/<app>/e2e/screenshots/, for review with `git diff --stat` and a commit. Run the browser tests
// first (`pnpm test`, or `pnpm exec vitest run --config vitest.browser.config.ts apps/<app>/`).
// Usage: pnpm screenshots:update [demo|bench ...]   (default: both)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const APPS = ["demo", "bench"];
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !APPS.includes(a));
if (unknown.length > 0) {
  console.error(`screenshots:update: unknown app ${unknown.join(", ")} (expected ${APPS.join(" or ")})`);
  process.exit(2);
}
let status = 0;
for (const app of asked.length > 0 ? asked : APPS) {
  const from = join(root, ".artifacts", "screenshots", app);
  const to = join(root, "apps", app, "e2e", "screenshots");
  const pngs = existsSync(from)
    ? readdirSync(from)
        .filter((f) => f.endsWith(".png"))
        .sort()
    : [];
  if (pngs.length === 0) {
    console.error(
      `${app}: no screenshots in ${from}: run its browser tests first (pnpm exec vitest run --config vitest.browser.config.ts apps/${app}/)`,
    );
    status = 1;
    continue;
  }
  mkdirSync(to, { recursive: true });
  let changed = 0;
  for (const f of pngs) {
    const target = join(to, f);
    const existed = existsSync(target);
    if (existed && readFileSync(target).equals(readFileSync(join(from, f)))) continue;
    copyFileSync(join(from, f), target);
    changed++;
    console.log(`${app}: ${existed ? "updated" : "added"} ${join("apps", app, "e2e", "screenshots", f)}`);
  }
  const stale = readdirSync(to).filter((f) => f.endsWith(".png") && !pngs.includes(f));
  console.log(`${app}: ${changed} of ${pngs.length} screenshots changed`);
  for (const f of stale)
    console.log(`${app}: ${f} was not produced by the last run (left as is; git rm it if it is gone)`);
}
process.exit(status);
