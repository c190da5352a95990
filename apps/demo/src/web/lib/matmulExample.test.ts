import { matmulInteger, requantize } from "@quantkit/kernels";
import { describe, expect, it } from "vitest";
import { macSteps, matmulExample } from "./matmulExample";

describe("matmulExample", () => {
  const ex = matmulExample(1);

  it("quantizes X asymmetric uint8 and W symmetric int8, as the deck does", () => {
    expect(ex.xq).toBeInstanceOf(Uint8Array);
    expect(ex.wq).toBeInstanceOf(Int8Array);
    // PyTorch's per_tensor_symmetric qint8: scale = max|w| / 127.5, so the largest |w| lands on
    // ±127.5, which rounds (half to even) to -128 for a negative w and clamps to 127 for a positive one
    const absW = [...ex.w].map(Math.abs);
    const top = absW.indexOf(Math.max(...absW));
    expect(ex.wScale).toBe(Math.fround(absW[top]! / 127.5));
    expect(ex.wq[top]).toBe(ex.w[top]! < 0 ? -128 : 127);
    // asymmetric inputs use both ends of [0, 255]
    expect(Math.min(...ex.xq)).toBe(0);
    expect(Math.max(...ex.xq)).toBe(255);
  });

  it("accumulates in int32 from the bias, and the MAC walk ends at the GEMM's value", () => {
    for (let i = 0; i < ex.m; i++) {
      for (let j = 0; j < ex.n; j++) {
        const steps = macSteps(ex, i, j);
        expect(steps.length).toBe(ex.k);
        // an independent sum: Σ (x_q - z_x) w_q + round(b / (s_x s_w))
        let sum = 0;
        for (let k = 0; k < ex.k; k++) sum += (ex.xq[i * ex.k + k]! - ex.xZeroPoint) * ex.wq[j * ex.k + k]!;
        const biasQ = Math.round(ex.b[j]! / (ex.xScale * ex.wScale));
        expect(Math.abs(ex.layer.bias[j]! - biasQ)).toBeLessThanOrEqual(1);
        expect(steps.at(-1)!.acc).toBe(sum + ex.layer.bias[j]!);
        expect(ex.acc[i * ex.n + j]).toBe(sum + ex.layer.bias[j]!);
      }
    }
  });

  it("requantizes to the codes quantizedLinear gives in one call", () => {
    expect([...ex.yq]).toEqual([...ex.yLinear]);
    const again = requantize(ex.acc, {
      multiplier: ex.layer.multiplier,
      shift: ex.layer.shift,
      outputZeroPoint: ex.yZeroPoint,
      outputMin: 0,
      outputMax: 255,
      channels: ex.n,
    });
    expect([...again]).toEqual([...ex.yq]);
    expect(
      matmulInteger(ex.xq, ex.wq, { m: ex.m, k: ex.k, n: ex.n, aZeroPoint: ex.xZeroPoint, transB: true })[0],
    ).toBe(ex.acc[0]! - ex.layer.bias[0]!);
  });

  it("lands within a couple of output steps of the float result", () => {
    for (let i = 0; i < ex.y.length; i++) {
      expect(Math.abs(ex.yDequantized[i]! - ex.y[i]!)).toBeLessThan(3 * ex.yScale);
    }
    expect(ex.realMultiplier).toBeCloseTo(ex.layer.multiplier[0]! * 2 ** (ex.layer.shift[0]! - 31), 9);
  });

  it("rejects an output outside the product", () => {
    expect(() => macSteps(ex, 2, 0)).toThrow("i must be in 0..1, got 2");
  });
});
