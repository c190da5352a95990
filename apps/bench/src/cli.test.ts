import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";

const bin = fileURLToPath(new URL("../bin/bench.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "quantkit-bench-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real launcher as `pnpm bench` would, from apps/bench with INIT_CWD = `dir`. */
function bench(args: string[]) {
  const r = spawnSync(process.execPath, [bin, "--", ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, INIT_CWD: dir, QUANTKIT_BENCH_NO_XVFB: "1" },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("pnpm bench --compare (the regression gate)", () => {
  writeFileSync(join(dir, "base.json"), JSON.stringify(fixtureRun({ gemmRatio: 2 })));
  writeFileSync(join(dir, "current.json"), JSON.stringify(fixtureRun({ gemmRatio: 1.5 })));

  it("exits 1 and names the ratio that fell by more than the threshold (paths relative to INIT_CWD)", () => {
    const r = bench(["--compare", "base.json", "--current", "current.json", "--threshold", "10"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("1 ratio(s) fell by more than 10.0%:");
    expect(r.out).toContain("REGRESSED kernels/gemm/int8-vs-fp32/js/256");
  });

  it("exits 0 when the fall is within the threshold", () => {
    const r = bench(["--compare", "base.json", "--current", "current.json", "--threshold", "30"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("no ratio fell by more than 30.0% (4 compared)");
  });

  it("exits 2 with the validation problems when a file is not a result file", () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...fixtureRun(), schemaVersion: 7 }));
    const r = bench(["--compare", "bad.json", "--current", "current.json"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("bad.json is not a valid quantkit-bench-result file");
    expect(r.out).toContain("schemaVersion 7 is not supported");
  });

  it("rejects a threshold that is not a percentage", () => {
    const r = bench(["--compare", "base.json", "--current", "current.json", "--threshold", "150"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('--threshold must be a percentage in [0, 100), got "150"');
  });

  it("lists the suites", () => {
    const r = bench(["--list"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n").map((l) => l.split(" ")[0])).toEqual(
      expect.arrayContaining(["numeric", "quantizers", "calibrators", "kernels", "kernels-gpu", "e2e"]),
    );
    expect(readdirSync(dir).sort()).toEqual(["bad.json", "base.json", "current.json"]);
  });
});
