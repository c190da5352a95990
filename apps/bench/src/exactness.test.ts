import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { fixtureRun } from "../test/fixtureRun";
import { saturatingMatmulInteger } from "../test/saturatingMatmulInteger";
import { compareOutputs, describeExactness, summarizeExactness } from "./exactness";
import { GEMM_A_ZERO_POINT, gemmOperands } from "./suites/_gemm";
import { referenceMatmulInteger } from "./suites/_referenceGemm";
import { GEMM_SHAPES, KERNELS_SEED } from "./suites/kernels";

describe("compareOutputs and describeExactness", () => {
  it("count the differing outputs, the largest difference and the first index", () => {
    expect(compareOutputs(Int32Array.of(1, 5, 3, -9), Int32Array.of(1, 2, 3, 4))).toEqual({
      equal: false,
      outputs: 4,
      differing: 2,
      maxAbsDiff: 13,
      first: 1,
    });
    expect(compareOutputs([7, 7], [7, 7])).toEqual({
      equal: true,
      outputs: 2,
      differing: 0,
      maxAbsDiff: 0,
      first: -1,
    });
    expect(() => compareOutputs([1], [1, 2])).toThrow("theirs has 1 outputs, the reference 2");
  });

  it("say it in words, with thousands separators", () => {
    expect(describeExactness({ equal: false, outputs: 262_144, differing: 2_431, maxAbsDiff: 14_287 })).toBe(
      "2,431 of 262,144 outputs differ from the reference (by up to 14,287)",
    );
    expect(describeExactness({ equal: true, outputs: 4096, differing: 0, maxAbsDiff: 0 })).toBe(
      "equal to the reference on all 4,096 outputs",
    );
  });
});

describe("a saturating peer (the model of onnxruntime's uint8 x int8 kernel without VNNI) is measured inexact", () => {
  it("exactly the outputs whose pairs of products overflow int16 differ, by what saturation took off", () => {
    const [m, k, n] = [8, 16, 8];
    const rng = new Rng(3);
    const a = new Uint8Array(m * k).map(() => rng.int(101)); // pairs of products <= 2 x 100 x 60: no overflow...
    const b = new Int8Array(k * n).map(() => rng.int(121) - 60);
    for (let p = 0; p < k; p++) {
      a[2 * k + p] = 255; // ...except rows 2 and 6 against columns 1 (all -128) and 5 (all 127)
      a[6 * k + p] = 255;
      b[p * n + 1] = -128;
      b[p * n + 5] = 127;
    }
    const ref = referenceMatmulInteger(a, b, m, k, n, GEMM_A_ZERO_POINT);
    // 8 pairs of 255 x -128 x 2 = -65,280 each, saturated to -32,768: 8 x 32,512 = 260,096 off.
    expect(compareOutputs(saturatingMatmulInteger(a, b, m, k, n, GEMM_A_ZERO_POINT), ref)).toEqual({
      equal: false,
      outputs: 64,
      differing: 4,
      maxAbsDiff: 260_096,
      first: 2 * n + 1,
    });
  });

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
