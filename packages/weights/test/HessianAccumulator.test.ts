import { describe, expect, it } from "vitest";
import { HessianAccumulator } from "../src/index";
import { gaussian } from "./_gaussian";

describe("HessianAccumulator", () => {
  it("H = 2/n X^T X, the same accumulated over batches as in one", () => {
    const K = 24;
    const x = gaussian(1, 37 * K);
    const one = new HessianAccumulator(K).addBatch(x).hessian();
    const two = new HessianAccumulator(K)
      .addBatch(x.subarray(0, 10 * K))
      .addBatch(x.subarray(10 * K))
      .hessian();
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        let s = 0;
        for (let r = 0; r < 37; r++) s += x[r * K + i]! * x[r * K + j]!;
        expect(one[i * K + j]).toBeCloseTo((2 / 37) * s, 10);
        expect(two[i * K + j]).toBeCloseTo(one[i * K + j]!, 12);
      }
    }
  });
});

describe("HessianAccumulator input checks", () => {
  it("counts rows across batches; an explicit row count must match x", () => {
    const h = new HessianAccumulator(3).addBatch(new Float32Array([1, 2, 3, 4, 5, 6]));
    expect(h.samples).toBe(2);
    h.addBatch(new Float32Array([1, 0, 0]), 1);
    expect(h.samples).toBe(3);
    // rows [1, 2, 3], [4, 5, 6], [1, 0, 0]: H = 2/3 X^T X, by hand
    expect(Array.from(h.hessian())).toEqual([18, 22, 27, 22, 29, 36, 27, 36, 45].map((v) => (2 / 3) * v));
    expect(() => h.addBatch(new Float32Array(6), 3)).toThrow(
      "HessianAccumulator.addBatch: x has 6 elements, not rows x K with K = 3 (rows 3)",
    );
  });
  it("K, x and non-finite values are errors naming row and column; hessian() needs a row", () => {
    expect(() => new HessianAccumulator(0)).toThrow(
      "HessianAccumulator: K must be a positive integer, got 0",
    );
    expect(() => new HessianAccumulator(2).addBatch([1, 2] as never)).toThrow(
      "HessianAccumulator.addBatch: x must be a Float32Array, got [object Array]",
    );
    expect(() => new HessianAccumulator(2).addBatch(new Float32Array([1, 2, 3, Number.NaN]))).toThrow(
      "HessianAccumulator.addBatch: x[3] (row 1, column 1) is NaN",
    );
    expect(() => new HessianAccumulator(2).hessian()).toThrow(
      "HessianAccumulator.hessian: no calibration rows were added",
    );
  });
});
