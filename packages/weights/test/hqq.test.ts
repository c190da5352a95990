import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import {
  dequantizeBlockwise,
  hqq,
  packBlockedDequantizeLinear,
  packMatMulNBits,
  quantizeBlockwise,
} from "../src/index";

/** Gaussian weights with a few heavy outliers, as LLM weights have. */
function weights(seed: number, n: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () =>
    rng.next() < 0.01 ? rng.normal(0, 0.3) : rng.normal(0, 0.05),
  );
}

function lpError(w: Float32Array, wq: Float32Array, p: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.abs(w[i]! - wq[i]!) ** p;
  return s;
}

describe("hqq", () => {
  it("with no iterations is min-max: inverse scale 15 / (max - min), zero point -min x that, not rounded", () => {
    const w = Float32Array.from({ length: 32 }, (_, k) => (k < 16 ? -0.3 + k * 0.1 : 1));
    const q = hqq(w, [1, 32], { iterations: 0, blockSize: 16 });
    // block 0: [-0.3, 1.2] -> scale 0.1, zero 3; block 1: constant 1 -> scale 1, zero -1
    expect(q.scales[0]).toBeCloseTo(0.1, 7);
    expect(q.zeroPoints[0]).toBeCloseTo(3, 5);
    expect(Array.from(q.codes.subarray(0, 16))).toEqual(Array.from({ length: 16 }, (_, k) => k));
    expect(q.scales[1]).toBe(1);
    expect(q.zeroPoints[1]).toBe(-1);
    expect(Array.from(q.codes.subarray(16))).toEqual(new Array(16).fill(0));
    expect(q.dequantized[20]).toBe(1);
  });

  it("its objective decreases every iteration until the early stop, and it returns the best iterate", () => {
    const N = 32;
    const K = 256;
    const w = weights(1, N * K);
    const q = hqq(w, [N, K], { blockSize: 64 });
    const h = Array.from(q.history);
    expect(h.length).toBeGreaterThan(2);
    const accepted = h.slice(0, q.bestIteration + 1);
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]!).toBeLessThan(accepted[i - 1]!);
    expect(q.bestIteration).toBe(h.indexOf(Math.min(...h)));
    if (q.bestIteration < h.length - 1)
      expect(h[q.bestIteration + 1]!).toBeGreaterThanOrEqual(h[q.bestIteration]!);
    let mae = 0;
    for (let i = 0; i < w.length; i++) mae += Math.abs(w[i]! - q.dequantized[i]!);
    expect(Math.abs(mae / w.length - h[q.bestIteration]!) / h[q.bestIteration]!).toBeLessThan(1e-4);
    expect(dequantizeBlockwise(q)).toEqual(q.dequantized);
  });

  it("beats RTN's weight error in the lp-norm it optimises (measured sum |w - q|^0.7 at block 64: 0.95 of RTN's at 4 bits, 0.95 at 3, 0.96 at 2, 0.96 at 8)", () => {
    const N = 64;
    const K = 256;
    const w = weights(2, N * K);
    for (const bits of [4, 3, 2, 8] as const) {
      const h = hqq(w, [N, K], { bits, blockSize: 64 });
      const start = hqq(w, [N, K], { bits, blockSize: 64, iterations: 0 });
      const rtn = quantizeBlockwise(w, [N, K], { bits, blockSize: 64 });
      const ratio = lpError(w, h.dequantized, 0.7) / lpError(w, rtn.dequantized, 0.7);
      expect(ratio).toBeLessThan(0.98);
      expect(lpError(w, h.dequantized, 0.7)).toBeLessThan(lpError(w, start.dequantized, 0.7));
    }
  });

  it("roundZeroPoint gives integer zero points that pack for DequantizeLinear; float ones pack unpacked for MatMulNBits", () => {
    const N = 8;
    const K = 64;
    const w = weights(3, N * K);
    const r = hqq(w, [N, K], { blockSize: 32, roundZeroPoint: true });
    expect(r.zeroPoints).toBeInstanceOf(Uint8Array);
    expect(packBlockedDequantizeLinear(r as never).xZeroPoint!.type).toBe("uint4");
    const f = hqq(w, [N, K], { blockSize: 32 });
    expect(f.zeroPoints).toBeInstanceOf(Float32Array);
    const t = packMatMulNBits(f);
    expect(t.zeroPoints).toMatchObject({ type: "float32", dims: [N, 2] });
    expect(() => packBlockedDequantizeLinear(f)).toThrow("zeroPoints are float (HQQ)");
  });
});

describe("bad input gets an error naming the argument and the value", () => {
  const w = new Float32Array(4 * 64).fill(0.5);
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    expect(() => hqq(w, [4, 64], { bits: 1 as never })).toThrow("hqq: bits must be 2, 3, 4 or 8, got 1");
  });
  it("hqq: no symmetric option, lpNorm in (0, 1], NaN in the weight", () => {
    expect(() => hqq(w, [4, 64], { symmetric: true } as never)).toThrow(
      "hqq: HQQ quantizes asymmetric blocks",
    );
    expect(() => hqq(w, [4, 64], { lpNorm: 2 })).toThrow("lpNorm must be a number in [0.01, 1], got 2");
    const bad = w.slice();
    bad[1] = Number.NEGATIVE_INFINITY;
    expect(() => hqq(bad, [4, 64])).toThrow("hqq: weight[1] is -Infinity");
  });
});
