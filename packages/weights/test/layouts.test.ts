import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { awq, gptq, hqq } from "../src/index";
import { correlatedActivations } from "./_activations";

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

describe('every method takes ONNX MatMul\'s B with layout "KN"', () => {
  const N = 12;
  const K = 80; // blocks of 32: 32 + 32 + 16
  const rng = new Rng(1);
  const w = Float32Array.from({ length: N * K }, () => rng.normal(0, 0.1));
  const wKN = transpose(w, N, K);
  const x = correlatedActivations(2, K).sample(96);
  const cases = [
    [
      "gptq",
      (v: Float32Array, layout: "NK" | "KN") =>
        gptq(v, layout === "NK" ? [N, K] : [K, N], x, { layout, actOrder: true }),
    ],
    [
      "awq",
      (v: Float32Array, layout: "NK" | "KN") => awq(v, layout === "NK" ? [N, K] : [K, N], x, { layout }),
    ],
    ["hqq", (v: Float32Array, layout: "NK" | "KN") => hqq(v, layout === "NK" ? [N, K] : [K, N], { layout })],
  ] as const;
  for (const [name, run] of cases) {
    it(`${name}: the same codes, scales and zero points as on [N, K], dequantized in [K, N]`, () => {
      const a = run(w, "NK");
      const b = run(wKN, "KN");
      expect([b.N, b.K, b.nBlocks]).toEqual([N, K, 3]);
      expect(b.codes).toEqual(a.codes);
      expect(b.scales).toEqual(a.scales);
      expect(b.zeroPoints).toEqual(a.zeroPoints);
      expect(b.dequantized).toEqual(transpose(a.dequantized, N, K));
    });
  }
});
