import { describe, expect, it } from "vitest";
import { extent, histogram, histogramSteps } from "./histogram";

describe("histogram", () => {
  it("counts into equal bins, the last bin closed", () => {
    const h = histogram(new Float32Array([0, 0.5, 1, 2, -0.1]), 2, 0, 1);
    expect([...h.counts]).toEqual([1, 2]);
    expect(h.outside).toBe(2);
    expect([...h.edges]).toEqual([0, 0.5, 1]);
    expect([...h.centers]).toEqual([0.25, 0.75]);
  });
  it("puts every value of a range in exactly one bin", () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => -3 + (i * 7) / 999);
    const h = histogram(data, 13, -3, 4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.outside).toBe(0);
  });
  it("rejects an empty or reversed range", () => {
    expect(() => histogram([1], 4, 1, 1)).toThrow("the range must be finite with hi > lo, got [1, 1]");
    expect(() => histogram([1], 0, 0, 1)).toThrow(RangeError);
  });
});

describe("extent / histogramSteps", () => {
  it("finds the smallest and largest value", () => {
    expect(extent(new Float32Array([3, -1, 2]))).toEqual([-1, 3]);
    expect(() => extent([])).toThrow("data is empty");
  });
  it("gives one point per edge, closing at zero", () => {
    expect(histogramSteps(histogram([0, 1], 2, 0, 2))).toEqual([
      { x: 0, y: 1 },
      { x: 1, y: 1 },
      { x: 2, y: 0 },
    ]);
  });
});
