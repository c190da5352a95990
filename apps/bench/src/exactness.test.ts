import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { compareOutputs, referenceMatmulInteger } from "../../../packages/kernels/bench/gemmExactness";
import { fixtureRun } from "../test/fixtureRun";
import { saturatingMatmulInteger } from "../test/saturatingMatmulInteger";
import { describeExactness, summarizeExactness } from "./exactness";
import { GEMM_A_ZERO_POINT, gemmOperands } from "./suites/_gemm";
import { GEMM_SHAPES, KERNELS_SEED } from "./suites/kernels";

describe("describeExactness", () => {
  it("says it in words, with thousands separators", () => {
    expect(describeExactness({ equal: false, outputs: 262_144, differing: 2_431, maxAbsDiff: 14_287 })).toBe(
      "2,431 of 262,144 outputs differ from the reference (by up to 14,287)",
    );
    expect(describeExactness({ equal: true, outputs: 4096, differing: 0, maxAbsDiff: 0 })).toBe(
      "equal to the reference on all 4,096 outputs",
    );
  });
});

// The model itself and compareOutputs on it are tested in packages/kernels (test/onnxruntime.test.ts,
// test/gemmBench.test.ts); here, the bench's own operands.
describe("a saturating peer (the model of onnxruntime's uint8 x int8 kernel without VNNI) is measured inexact", () => {
  it("reproduces what a Zen 3 run reported for the kernels suite's first case: -82,420 vs -68,133 at [0] of 64x64x64", () => {
    const shape = GEMM_SHAPES.quick[0]!;
    expect(shape).toEqual([64, 64, 64]);
    const { a8, b8 } = gemmOperands(shape, new Rng(KERNELS_SEED));
    const ref = referenceMatmulInteger(a8, b8, 64, 64, 64, GEMM_A_ZERO_POINT);
    const model = saturatingMatmulInteger(a8, b8, 64, 64, 64, GEMM_A_ZERO_POINT);
    expect([ref[0], model[0]]).toEqual([-82_420, -68_133]);
    const c = compareOutputs(model, ref);
    expect(c.first).toBe(0);
    expect(c.differing).toBeGreaterThan(4096 / 2); // full-range operands: most outputs meet a saturated pair
    console.info(`the model on the kernels suite's 64x64x64 case: ${describeExactness(c)}`);
  });
});

describe("summarizeExactness", () => {
  it("sums the records per suite, implementation and backend, inexact first; none for suites without records", () => {
    const run = fixtureRun();
    const lines = summarizeExactness(run).map((s) => s.text);
    expect(lines).toEqual([
      "onnxruntime-node MatMulInteger (ort-cpu): 1,200 of 69,632 outputs differ on this CPU, 1 of 2 shapes (by up to 30,000)",
      "quantkit matmulInteger (js): equal to the reference on all 69,632 outputs, 2 shapes",
    ]);
    for (const s of run.suites) delete s.exactness;
    expect(summarizeExactness(run)).toEqual([]);
  });
});
