import { describe, expect, it } from "vitest";
import { gemmGops, summarizeTimings } from "./timing";

describe("summarizeTimings", () => {
  it("gives the median, min and max", () => {
    expect(summarizeTimings([3, 1, 2])).toEqual({ medianMs: 2, minMs: 1, maxMs: 3, runs: 3 });
    expect(summarizeTimings([4, 1, 3, 2])).toEqual({ medianMs: 2.5, minMs: 1, maxMs: 4, runs: 4 });
    expect(summarizeTimings([7])).toEqual({ medianMs: 7, minMs: 7, maxMs: 7, runs: 1 });
  });
  it("refuses no samples", () => {
    expect(() => summarizeTimings([])).toThrow(RangeError);
  });
});

describe("gemmGops", () => {
  it("counts a multiply and an add per MAC", () => {
    expect(gemmGops(256, 256, 256, 1)).toBeCloseTo(33.554432, 9);
    expect(gemmGops(1000, 1000, 1000, 2000)).toBe(1);
    expect(() => gemmGops(1, 1, 1, 0)).toThrow("ms must be positive, got 0");
  });
});
