import { describe, expect, expectTypeOf, it } from "vitest";
import { _batchShape } from "../src/batch";
import type { Batch, FitBatches } from "../src/index";

describe("Batch", () => {
  it("a batch's input shape is its own shape, else [size, x.length / size]", () => {
    expect(_batchShape({ x: new Float32Array(12), y: [0, 1, 2], size: 3 })).toEqual([3, 4]);
    expect(_batchShape({ x: new Float32Array(12), y: [0, 1, 2], size: 3, shape: [3, 1, 2, 2] })).toEqual([
      3, 1, 2, 2,
    ]);
  });
  it("x that is not a whole number of values per sample, or size 0, is an error", () => {
    expect(() => _batchShape({ x: new Float32Array(10), y: [0, 1, 2], size: 3 })).toThrow(
      "batch of size 3 has 10 input values, not a whole number per sample",
    );
    expect(() => _batchShape({ x: new Float32Array(0), y: [], size: 0 })).toThrow(/batch of size 0/);
  });
  it("labels may be any array-like of numbers (datasets' Uint8Array labels); a Batch[] is fit's input", () => {
    expectTypeOf<{ x: Float32Array; y: Uint8Array; size: number }>().toExtend<Batch>();
    expectTypeOf<{ x: Float32Array; y: number[]; size: number; shape: number[] }>().toExtend<Batch>();
    expectTypeOf<{ x: number[]; y: number[]; size: number }>().not.toExtend<Batch>();
    expectTypeOf<Batch[]>().toExtend<FitBatches>();
  });
});
