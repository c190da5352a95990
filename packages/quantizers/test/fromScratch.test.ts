import { describe, expect, it } from "vitest";
import { fromScratch, VALUES } from "../examples/from-scratch";
import { refRoundHalfToEven } from "./reference";

describe('the notebook "quantization from scratch" (examples/from-scratch.ts)', () => {
  const [asymmetric, symmetric] = fromScratch();

  it("asymmetric 8-bit: the deck's formulas in float64 give the same integers", () => {
    // deck / notebook: scale = (alpha - beta) / (2^n - 1), zero = -round(beta / scale),
    // q = clamp(round(x / scale + zero), 0, 2^n - 1), np.round rounding half to even
    const lo = Math.min(...VALUES);
    const hi = Math.max(...VALUES);
    const scale = (hi - lo) / 255;
    const zero = -refRoundHalfToEven(lo / scale);
    const deck = Array.from(VALUES, (x) => Math.min(255, Math.max(0, refRoundHalfToEven(x / scale + zero))));
    expect(Array.from(asymmetric!.codes)).toEqual(deck);
    expect(asymmetric!.qparams.zeroPoint[0]).toBe(zero);
    expect(asymmetric!.qparams.scale[0]).toBeCloseTo(scale, 6);
    expect(Array.from(asymmetric!.codes)).toEqual([
      255, 0, 63, 53, 165, 113, 211, 217, 9, 2, 170, 42, 46, 254, 235, 73, 135, 251, 230, 96,
    ]);
  });

  it("symmetric 8-bit: scale = max|x| / 127, codes in [-127, 127]", () => {
    const alpha = Math.max(...Array.from(VALUES, Math.abs));
    const scale = alpha / 127;
    const deck = Array.from(VALUES, (x) => Math.min(127, Math.max(-127, refRoundHalfToEven(x / scale))));
    expect(Array.from(symmetric!.codes)).toEqual(deck);
    expect(symmetric!.qparams.zeroPoint[0]).toBe(0);
    expect(Array.from(symmetric!.codes)).toEqual([
      127, -41, 0, -6, 67, 33, 97, 101, -36, -40, 71, -14, -11, 126, 113, 7, 48, 124, 110, 22,
    ]);
  });

  it("dequantizes with (q - zero) * scale and reports the MSE of its definition", () => {
    for (const r of [asymmetric!, symmetric!]) {
      const s = r.qparams.scale[0]!;
      const z = r.qparams.zeroPoint[0]!;
      let sum = 0;
      for (let i = 0; i < VALUES.length; i++) {
        expect(r.dequantized[i]).toBe(Math.fround((r.codes[i]! - z) * s));
        sum += (VALUES[i]! - r.dequantized[i]!) ** 2;
        // round-to-nearest: the error is at most half a step
        expect(Math.abs(VALUES[i]! - r.dequantized[i]!)).toBeLessThanOrEqual(s / 2 + 1e-5);
      }
      expect(r.mse).toBeCloseTo(sum / VALUES.length, 12);
    }
    // the asymmetric map spends all 256 codes on [-47.31, 145.67]; the symmetric one wastes [-145.67, -47.31]
    expect(asymmetric!.mse).toBeLessThan(symmetric!.mse);
    expect(asymmetric!.mse).toBeCloseTo(0.0485, 3);
    expect(symmetric!.mse).toBeCloseTo(0.104, 3);
  });
});
