import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import { runSummary } from "./runSummary";

describe("runSummary", () => {
  it("counts suites by status and lists failed, skipped and failed-check suites first, with reasons", () => {
    const s = runSummary(fixtureRun({ failed: true }));
    expect([s.total, s.ok, s.failed, s.skipped]).toEqual([6, 4, 1, 1]);
    expect(s.sentence).toBe(
      "6 suites: 4 ok, 1 failed (quantizers), 1 skipped (kernels-gpu). 1 ok suite reports a failed check (e2e).",
    );
    expect(s.attention.map((x) => [x.id, x.status, x.reason ?? x.failedChecks[0]])).toEqual([
      ["quantizers", "failed", "RangeError: quantize: scale must be > 0, got 0"],
      ["kernels-gpu", "skipped", "no gpu.js backend in this fixture"],
      ["e2e", "ok", "FAIL mnist: fp32 within 1.5 points of PyTorch 1.13 (0.975): fp32 0.963: -1.20 points"],
    ]);
  });

  it("says plainly when every suite ran", () => {
    const run = fixtureRun();
    run.suites = run.suites.filter((s) => s.status === "ok");
    expect(runSummary(run).sentence).toBe("4 suites: 4 ok, 0 failed, 0 skipped.");
    expect(runSummary(run).attention).toEqual([]);
  });
});
