import { describe, expect, it } from "vitest";
import { deckQParams, gridValues, quantizeReport } from "./deckQuantize";

const f32 = Math.fround;

describe("deckQParams", () => {
  it("asymmetric: scale = (max - min) / (2^n - 1), zero = -round(min / scale)", () => {
    const q = deckQParams(-50, 150, 8, "asymmetric");
    expect(q.scale[0]).toBe(f32(200 / 255));
    expect(q.zeroPoint[0]).toBe(64); // -round(-50 / 0.784314) = -round(-63.75)
    expect([q.quantMin, q.quantMax]).toEqual([0, 255]);
  });
  it("symmetric: scale = max|x| / (2^(n-1) - 1) over the narrow signed range, zero 0", () => {
    const q = deckQParams(-50, 150, 8, "symmetric");
    expect(q.scale[0]).toBe(f32(150 / 127));
    expect(q.zeroPoint[0]).toBe(0);
    expect([q.quantMin, q.quantMax]).toEqual([-127, 127]);
    const q4 = deckQParams(-50, 150, 4, "symmetric");
    expect([q4.quantMin, q4.quantMax]).toEqual([-7, 7]);
    expect(q4.scale[0]).toBe(f32(150 / 7));
  });
  it("rejects widths outside 2..16", () => {
    expect(() => deckQParams(0, 1, 1, "symmetric")).toThrow("bits must be an integer in 2..16, got 1");
  });
});

describe("quantizeReport", () => {
  const x = new Float32Array([-50, 0, 10, 120, 150]);
  it("quantizes the deck's range to the codes worked out by hand", () => {
    // asymmetric: q = 64 + round(x * 255 / 200): -63.75 -> -64, 12.75 -> 13, 153, 191.25 -> 191
    const a = quantizeReport(x, 8, "asymmetric");
    expect([...a.codes]).toEqual([0, 64, 77, 217, 255]);
    expect([a.min, a.max]).toEqual([-50, 150]);
    // symmetric: q = round(x * 127 / 150): -42.33 -> -42, 8.47 -> 8, 101.6 -> 102, 127
    const s = quantizeReport(x, 8, "symmetric");
    expect([...s.codes]).toEqual([-42, 0, 8, 102, 127]);
  });
  it("reports the reconstruction and its errors", () => {
    const a = quantizeReport(x, 8, "asymmetric");
    const scale = f32(200 / 255);
    const expected = [0, 64, 77, 217, 255].map((q) => f32((q - 64) * scale));
    expect([...a.dequantized]).toEqual(expected);
    const errs = [...x].map((v, i) => v - expected[i]!);
    const mse = errs.reduce((s, e) => s + e * e, 0) / errs.length;
    expect(a.mse).toBeCloseTo(mse, 10);
    expect(a.maxAbsError).toBeCloseTo(Math.max(...errs.map(Math.abs)), 10);
    const signal = [...x].reduce((s, v) => s + v * v, 0);
    expect(a.sqnr).toBeCloseTo(10 * Math.log10(signal / (mse * errs.length)), 8);
    expect(a.codesUsed).toBe(5);
    expect(a.codeCounts.length).toBe(256);
    expect(a.codeCounts[64]).toBe(1);
  });
  it("loses more with fewer bits", () => {
    const fine = quantizeReport(x, 8, "asymmetric");
    const coarse = quantizeReport(x, 3, "asymmetric");
    expect(coarse.mse).toBeGreaterThan(fine.mse * 100);
    expect(coarse.codeCounts.length).toBe(8);
  });
});

describe("gridValues", () => {
  it("dequantizes every code of the range", () => {
    expect([...gridValues(deckQParams(-1, 2, 2, "asymmetric"))]).toEqual([-1, 0, 1, 2]);
    const g = gridValues(deckQParams(-3, 3, 3, "symmetric"));
    expect([...g]).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });
});
