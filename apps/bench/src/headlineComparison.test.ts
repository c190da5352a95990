import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import { headlineComparison } from "./headlineComparison";

describe("headlineComparison", () => {
  it("takes int8/fp32 per backend and quantkit/onnxruntime-node from the GEMM ratios, largest shape per backend", () => {
    const run = fixtureRun();
    const kernels = run.suites.find((s) => s.id === "kernels")!;
    kernels.ratios.push({ ...kernels.ratios[0]!, id: "gemm/int8-vs-fp32/js/64", median: 9, min: 8, max: 10 });
    const { bars, missing } = headlineComparison(run);
    expect(bars.map((b) => [b.group, b.backend, b.shape, b.median])).toEqual([
      ["int8 / fp32, same backend", "js", "256", 1.5],
      ["quantkit int8 / onnxruntime-node int8", "js", "256", 0.1],
    ]);
    expect(missing).toEqual(["onnxruntime-web: not measured in this run (no gemm/int8-vs-ort-web/… ratio)"]);
  });

  it("says what is missing when a run has no GEMM ratio at all", () => {
    const run = fixtureRun();
    for (const s of run.suites) s.ratios = [];
    expect(headlineComparison(run)).toEqual({
      bars: [],
      missing: [
        "int8 / fp32: no GEMM ratio in this run",
        "onnxruntime-node: not measured in this run (no gemm/int8-vs-ort/… ratio)",
        "onnxruntime-web: not measured in this run (no gemm/int8-vs-ort-web/… ratio)",
      ],
    });
  });
});
