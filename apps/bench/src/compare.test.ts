import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import { compareRuns, formatComparison, missingBySuite, noiseThreshold } from "./compare";

describe("compareRuns", () => {
  it("flags a ratio whose median fell by more than the threshold, naming suite and id", () => {
    const base = fixtureRun({ gemmRatio: 2 });
    const current = fixtureRun({ gemmRatio: 1.5 }); // -25%
    const cmp = compareRuns(base, current, 0.1);
    expect(cmp.regressions.map((r) => [r.suite, r.id, r.base, r.current, r.change])).toEqual([
      ["kernels", "gemm/int8-vs-fp32/js/256", 2, 1.5, -0.25],
    ]);
    expect(cmp.changes).toHaveLength(4);
    expect(cmp.missing).toEqual([]);
    expect(cmp.added).toEqual([]);
  });

  it("does not flag a fall within the threshold, nor exactly at it", () => {
    expect(
      compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }), 0.3).regressions,
    ).toEqual([]);
    expect(
      compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }), 0.25).regressions,
    ).toEqual([]);
    expect(
      compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }), 0.2499).regressions,
    ).toHaveLength(1);
  });

  it("counts a rise as an improvement, never as a regression", () => {
    const cmp = compareRuns(fixtureRun({ gemmRatio: 1.5 }), fixtureRun({ gemmRatio: 2 }), 0.1);
    expect(cmp.regressions).toEqual([]);
    expect(cmp.changes.filter((c) => c.improved).map((c) => c.id)).toEqual(["gemm/int8-vs-fp32/js/256"]);
  });

  it("lists the ratios of the base the current run lacks, with the suite's reason", () => {
    const current = fixtureRun();
    const kernels = current.suites.find((s) => s.id === "kernels")!;
    Object.assign(kernels, { status: "skipped", reason: "no backend", timings: [], ratios: [] });
    current.suites = current.suites.filter((s) => s.id !== "numeric");
    const cmp = compareRuns(fixtureRun(), current, 0.1);
    expect(cmp.missing).toEqual([
      { suite: "numeric", id: "f16/vs-peta/1M", label: expect.any(String), why: "suite not run" },
      { suite: "numeric", id: "f16/vs-peta/4M", label: expect.any(String), why: "suite not run" },
      {
        suite: "kernels",
        id: "gemm/int8-vs-fp32/js/256",
        label: expect.any(String),
        why: "suite skipped: no backend",
      },
      {
        suite: "kernels",
        id: "gemm/int8-vs-ort/js/256",
        label: expect.any(String),
        why: "suite skipped: no backend",
      },
    ]);
    expect(cmp.regressions).toEqual([]);
    expect(compareRuns(current, fixtureRun(), 0.1).added).toHaveLength(4);
  });

  it("rejects a threshold outside [0, 1)", () => {
    expect(() => compareRuns(fixtureRun(), fixtureRun(), 1)).toThrow(
      /threshold must be a fraction in \[0, 1\), got 1/,
    );
    expect(() => compareRuns(fixtureRun(), fixtureRun(), -0.1)).toThrow(RangeError);
  });
});

describe("formatComparison", () => {
  it("names each regressed ratio with base -> current and the change", () => {
    const lines = formatComparison(
      compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }), 0.1),
    );
    expect(lines[0]).toBe("1 ratio(s) fell by more than 10.0%:");
    expect(lines[1]).toBe(
      "  REGRESSED kernels/gemm/int8-vs-fp32/js/256 (int8 / fp32 GEMM speed, js, 256x256x256): 2.000 -> 1.500 (-25.0%)",
    );
  });

  it("counts the ratios of suites not run instead of listing them, and lists those of skipped suites", () => {
    const current = fixtureRun();
    current.suites = current.suites.filter((s) => s.id !== "kernels");
    const numeric = current.suites.find((s) => s.id === "numeric")!;
    Object.assign(numeric, { status: "skipped", reason: "no bench yet\nmore", timings: [], ratios: [] });
    expect(formatComparison(compareRuns(fixtureRun(), current, 0.1))).toEqual([
      "no ratio fell by more than 10.0% (0 compared)",
      "  missing   numeric/f16/vs-peta/1M (suite skipped: no bench yet)",
      "  missing   numeric/f16/vs-peta/4M (suite skipped: no bench yet)",
      "  not run   kernels: 2 ratio(s) of the base not compared",
    ]);
  });

  it("says so when nothing regressed", () => {
    expect(formatComparison(compareRuns(fixtureRun(), fixtureRun(), 0.1))).toEqual([
      "no ratio fell by more than 10.0% (4 compared)",
    ]);
  });
});

describe("noise", () => {
  it("marks a change whose two runs' min–max ranges overlap as within noise", () => {
    // the fixture's ratios spread ±10%: 2 -> 1.5 ([1.8, 2.2] vs [1.35, 1.65]) is beyond; 2 -> 1.9 is within
    const far = compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }), 0.01);
    expect(far.changes.find((c) => c.id === "gemm/int8-vs-fp32/js/256")!.withinNoise).toBe(false);
    const near = compareRuns(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.9 }), 0.01);
    const c = near.changes.find((x) => x.id === "gemm/int8-vs-fp32/js/256")!;
    expect([c.regressed, c.withinNoise]).toEqual([true, true]);
  });

  it("takes the default threshold from the runs' measured spread: ±10% rounds gives 20%", () => {
    expect(noiseThreshold(fixtureRun({ gemmRatio: 2 }), fixtureRun({ gemmRatio: 1.5 }))).toBe(0.2);
    const quiet = fixtureRun();
    for (const s of quiet.suites)
      for (const r of s.ratios) [r.min, r.max] = [r.median * 0.99, r.median * 1.01];
    expect(noiseThreshold(quiet, quiet)).toBe(0.05); // never below 5%
  });

  it("counts the ratios it could not compare per suite, with the reason", () => {
    const current = fixtureRun();
    const kernels = current.suites.find((s) => s.id === "kernels")!;
    kernels.status = "failed";
    kernels.reason = "Error: boom\n  at x";
    kernels.ratios = [];
    expect(missingBySuite(compareRuns(fixtureRun(), current, 0.1))).toEqual([
      { suite: "kernels", count: 2, why: "suite failed: Error: boom" },
    ]);
  });
});
