import { describe, expect, it } from "vitest";
import { rowsOf } from "./e2e";

describe("rowsOf (what the e2e suite reads from ptq's and qat's bench functions)", () => {
  it("finds the model rows of a seed-experiment summary, naming the method by its key", () => {
    const summary = {
      config: { epochs: 1, weightBits: 4 },
      fp32: { accuracy: 0.96, backend: "nn", inferenceMs: { js: { medianMs: 5, minMs: 4, maxMs: 6 } } },
      ptq: { accuracy: 0.87, weightBits: 4, activationBits: 4, calibrator: "minmax" },
      qatFinetune: { accuracy: 0.93, weightBits: 4, calibrator: "moving_average_minmax", mode: "finetune" },
      aborted: false,
    };
    expect(rowsOf(summary).map((r) => [r.method, r.bits, r.accuracy, r.calibrator])).toEqual([
      ["fp32", undefined, 0.96, undefined],
      ["ptq", 4, 0.87, "minmax"],
      ["qat-finetune", 4, 0.93, "moving_average_minmax"],
    ]);
  });

  it("reads a flat array of rows as it is, and timing rows by their medianMs", () => {
    const rows = rowsOf([
      { method: "ptq", bits: 8, calibrator: "histogram", accuracy: 0.962 },
      { name: "int8 wasm-simd", dtype: "int8", backend: "wasm-simd", batch: 64, medianMs: 0.7 },
      { unrelated: true },
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ backend: "wasm-simd", medianMs: 0.7 });
  });
});
