/**
 * The GEMM benchmarks' exactness check (bench/gemmExactness.ts, used by benchGemm and apps/bench): its fast plain-loop
 * reference against the BigInt one, and benchGemm's records (ours equal; onnxruntime's measured, not
 * asserted: its uint8 x int8 kernel saturates on x86 CPUs without VNNI).
 */
import { describe, expect, it } from "vitest";
import { benchGemm } from "../bench/gemm.bench";
import { compareOutputs, referenceMatmulInteger } from "../bench/gemmExactness";
import { refMatmulInteger, TestRng } from "./_reference";

describe("benchGemm's exactness check", () => {
  it("its plain-loop reference equals the BigInt one, int32 wrap included (k = 70,000)", () => {
    const rng = new TestRng(71);
    for (const [m, k, n, za] of [
      [3, 7, 5, 128],
      [9, 300, 11, 0],
    ] as const) {
      const a = rng.uint8(m * k);
      const b = rng.int8(k * n);
      expect(referenceMatmulInteger(a, b, m, k, n, za)).toEqual(refMatmulInteger(a, b, m, k, n, za, 0));
    }
    const k = 70_000; // 70,000 x 255 x -128 = -2,284,800,000: past int32, wraps
    const a = new Uint8Array(k).fill(255);
    const b = new Int8Array(k).fill(-128);
    expect(referenceMatmulInteger(a, b, 1, k, 1, 0)).toEqual(refMatmulInteger(a, b, 1, k, 1, 0, 0));
    expect(referenceMatmulInteger(a, b, 1, k, 1, 0)[0]).toBe(-2_284_800_000 + 2 ** 32);
  });

  it("compareOutputs counts differing outputs, the largest difference and the first index", () => {
    expect(compareOutputs(Int32Array.of(1, 9, 3, -4), Int32Array.of(1, 2, 3, 4))).toEqual({
      equal: false,
      outputs: 4,
      differing: 2,
      maxAbsDiff: 8,
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

  it("records every int8 variant of a shape: ours equal to the reference, onnxruntime's measured", async () => {
    const report = await benchGemm({
      shapes: [{ name: "tiny", m: 8, k: 16, n: 8 }],
      repetitions: 1,
      warmupRounds: 0,
      minSampleMs: 1,
    });
    expect(report.exactness.map((e) => [e.impl, e.backend, e.outputs])).toEqual([
      ["quantkit", "js", 64],
      ["quantkit", "wasm-simd", 64],
      ["onnxruntime", "ort-cpu", 64],
    ]);
    for (const e of report.exactness.filter((x) => x.impl === "quantkit")) expect(e.equal).toBe(true);
  });
});
