import { createCpuKernels } from "@quantkit/kernels";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { compareOutputs, referenceMatmulInteger } from "../../../../packages/kernels/bench/gemmExactness";
import { saturatingMatmulInteger } from "../../test/saturatingMatmulInteger";
import { SuiteContext } from "../context";
import { GEMM_A_ZERO_POINT, gemmOperands, measureGemm } from "./_gemm";
import { ortMatmulInteger } from "./_ort";
import { relabel } from "./_relabel";

const context = () =>
  new SuiteContext(
    "quick",
    { warmupRounds: 0, repetitions: 1, minSampleMs: 0 },
    ".",
    new AbortController().signal,
  );

/** onnxruntime-node timed for real, its results replaced by the saturating model's (a CPU without VNNI). */
const saturatingOrt: typeof ortMatmulInteger = async (a, b, m, k, n, aZeroPoint, threads) => {
  const real = await ortMatmulInteger(a, b, m, k, n, aZeroPoint, threads);
  return { ...real, result: async () => saturatingMatmulInteger(a, b, m, k, n, aZeroPoint) };
};

describe("measureGemm records exactness against the plain-loop reference", () => {
  const shape: [number, number, number] = [16, 64, 16];
  const id = "gemm.int8/onnxruntime-node/ort-cpu/16x64x16";

  it("an inexact peer is recorded with its counts, noted, and still timed; the suite goes on", async () => {
    const ctx = context();
    await measureGemm(ctx, [createCpuKernels({ simd: false })], shape, new Rng(5), false, saturatingOrt);
    const { a8, b8 } = gemmOperands(shape, new Rng(5));
    const want = compareOutputs(
      saturatingMatmulInteger(a8, b8, 16, 64, 16, GEMM_A_ZERO_POINT),
      referenceMatmulInteger(a8, b8, 16, 64, 16, GEMM_A_ZERO_POINT),
    );
    expect(want.equal).toBe(false);
    const peer = ctx.exactness.find((e) => e.id === id)!;
    expect(peer).toMatchObject({
      impl: "onnxruntime-node",
      label: "onnxruntime-node MatMulInteger",
      equal: false,
      outputs: 256,
      differing: want.differing,
      maxAbsDiff: want.maxAbsDiff,
      timing: id,
    });
    expect(ctx.timings.map((t) => t.id)).toContain(id);
    expect(ctx.exactness.find((e) => e.impl === "quantkit")).toMatchObject({ equal: true, outputs: 256 });
    // onnxruntime-web (WebAssembly, one thread) is measured too: its exactness, its timings, the ratios
    expect(ctx.exactness.find((e) => e.impl === "onnxruntime-web")).toMatchObject({
      label: "onnxruntime-web MatMulInteger",
      backend: "ort-wasm",
      outputs: 256,
      timing: "gemm.int8/onnxruntime-web/ort-wasm/16x64x16",
    });
    expect(ctx.timings.filter((t) => t.impl === "onnxruntime-web").map((t) => [t.op, t.role])).toEqual([
      ["gemm.int8", "peer"],
      ["gemm.fp32", "peer"],
    ]);
    expect(ctx.ratios.map((r) => r.id)).toContain("gemm/int8-vs-ort-web/js/16x64x16");
    expect(ctx.notes).toContain(
      "onnxruntime-node MatMulInteger (ort-cpu) differs from the reference on this CPU (see exactness, per shape); still timed",
    );
  });

  it("one of ours that differs fails the suite before any timing, its exactness recorded untimed", async () => {
    const js = createCpuKernels({ simd: false });
    const broken = Object.assign(relabel(js, "broken"), {
      matmulInteger: (...args: Parameters<typeof js.matmulInteger>) => {
        const y = js.matmulInteger(...args);
        y[5]! += 1;
        return y;
      },
    });
    const ctx = context();
    await expect(measureGemm(ctx, [js, broken], shape, new Rng(5), false, saturatingOrt)).rejects.toThrow(
      "broken matmulInteger 16x64x16 differs from the reference: 1 of 256 outputs differ from the reference (by up to 1); first at [5]",
    );
    expect(ctx.timings).toEqual([]);
    expect(ctx.exactness.slice(0, 3).map((e) => [e.backend, e.equal, e.timing])).toEqual([
      ["js", true, null],
      ["broken", false, null],
      ["ort-cpu", false, null], // the model's results: the same on every CPU
    ]);
    // onnxruntime-web's is recorded untimed too; whether it is exact is measured, not assumed
    expect(ctx.exactness.slice(3).map((e) => [e.backend, e.timing])).toEqual([["ort-wasm", null]]);
  });
});
