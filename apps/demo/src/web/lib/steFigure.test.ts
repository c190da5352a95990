import { describe, expect, it } from "vitest";
import { steFigure } from "./steFigure";

describe("steFigure", () => {
  it("draws a 3-bit quantizer whose output spans exactly [-1, 1] in 7 levels of 1/3", () => {
    const f = steFigure();
    expect(f.levels).toBe(7);
    expect(f.zeroPoint).toBe(0);
    expect(f.scale).toBeCloseTo(1 / 3, 6);
    expect(f.outputMin).toBeCloseTo(-1, 6);
    expect(f.outputMax).toBeCloseTo(1, 6);
    expect(new Set([...f.output].map((v) => Math.round(v * 3))).size).toBe(7);
  });

  it("measures the mask where the samples have it: 1 while x rounds onto a level, half a step past ±1", () => {
    const f = steFigure();
    // the mask ends half a step (1/6) beyond the last level, within one sample spacing (0.008)
    expect(f.maskFrom).toBeGreaterThan(-7 / 6 - 0.009);
    expect(f.maskFrom).toBeLessThan(-7 / 6 + 0.009);
    expect(f.maskTo).toBeGreaterThan(7 / 6 - 0.009);
    expect(f.maskTo).toBeLessThan(7 / 6 + 0.009);
    for (let i = 0; i < f.xs.length; i++)
      expect(f.mask[i]).toBe(f.xs[i]! >= f.maskFrom && f.xs[i]! <= f.maskTo ? 1 : 0);
  });
});
