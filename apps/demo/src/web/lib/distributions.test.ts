import { minMaxVsPercentile } from "@quantkit/calibrators";
import { describe, expect, it } from "vitest";
import { deckTensor, deckVector, makeDistribution, OUTLIER } from "./distributions";
import { extent } from "./histogram";

describe("makeDistribution", () => {
  it("keeps uniform values in [-50, 150)", () => {
    const [lo, hi] = extent(makeDistribution("uniform", 10_000));
    expect(lo).toBeGreaterThanOrEqual(-50);
    expect(hi).toBeLessThan(150);
    expect(lo).toBeLessThan(-49.9);
    expect(hi).toBeGreaterThan(149.9);
  });
  it("adds exactly one outlier at 1000 to the uniform values", () => {
    const x = makeDistribution("outlier", 10_000);
    expect(x.filter((v) => v === OUTLIER).length).toBe(1);
    expect(x.filter((v) => v > 150).length).toBe(1);
    expect([...x.subarray(0, 9999)]).toEqual([...makeDistribution("uniform", 10_000).subarray(0, 9999)]);
  });
  it("is reproducible from the seed and differs across seeds", () => {
    expect(makeDistribution("normal", 100, 3)).toEqual(makeDistribution("normal", 100, 3));
    expect(makeDistribution("normal", 100, 3)).not.toEqual(makeDistribution("normal", 100, 4));
  });
  it("gives a normal with about the asked mean and std, and ReLU's zeros", () => {
    const x = makeDistribution("normal", 20_000);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean)).toBeLessThan(1);
    expect(Math.abs(std - 40)).toBeLessThan(1);
    const r = makeDistribution("relu", 20_000);
    const zeros = r.filter((v) => v === 0).length / r.length;
    expect(zeros).toBeGreaterThan(0.48);
    expect(zeros).toBeLessThan(0.52);
  });
  it("rejects a bad kind or size", () => {
    expect(() => makeDistribution("cauchy" as never, 10)).toThrow(TypeError);
    expect(() => makeDistribution("uniform", 1)).toThrow("n must be an integer >= 2, got 1");
  });
});

describe("deckVector", () => {
  it("has the deck's 20 values in [-50, 150], both ends included", () => {
    const x = deckVector();
    expect(x.length).toBe(20);
    expect(extent(x)).toEqual([-50, 150]);
  });
});

describe("deckTensor", () => {
  it("is the calibrators' min-max vs percentile data: 10,000 uniform values then the outlier", () => {
    const { x, outliers } = deckTensor("outlier");
    const deck = minMaxVsPercentile({ methods: ["minmax"] });
    expect(x).toEqual(deck.x);
    expect(outliers).toEqual([deck.outlierIndex]);
  });
  it("has 10,000 values and no outlier for the other distributions", () => {
    const { x, outliers } = deckTensor("normal");
    expect(x.length).toBe(10_000);
    expect(outliers).toEqual([]);
  });
});
