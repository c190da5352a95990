import { Rng } from "@quantkit/tensor";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  awq,
  type BlockBits,
  type BlockQuantized,
  gptq,
  hqq,
  quantizeBlockwise,
  type WeightBits,
} from "../src/index";
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

describe("BlockQuantized: what every method returns", () => {
  it("dequantized[n, k] = (codes[n * K + k] - zeroPoints[n * nBlocks + b]) * scales[n * nBlocks + b] for every method", () => {
    const N = 5;
    const K = 72; // blocks of 32: 32 + 32 + 8
    const rng = new Rng(2);
    const w = Float32Array.from({ length: N * K }, () => rng.normal(0, 0.1));
    const x = correlatedActivations(3, K).sample(64);
    const results: Array<[string, BlockQuantized<Uint8Array | Float32Array>]> = [
      ["rtn", quantizeBlockwise(w, [N, K], { blockSize: 32 })],
      [
        "rtn symmetric float16",
        quantizeBlockwise(w, [N, K], { blockSize: 32, symmetric: true, scaleType: "float16" }),
      ],
      ["gptq", gptq(w, [N, K], x, { blockSize: 32 })],
      ["awq", awq(w, [N, K], x, { blockSize: 32 })],
      ["hqq", hqq(w, [N, K], { blockSize: 32 })],
    ];
    for (const [name, q] of results) {
      expect([q.N, q.K, q.nBlocks, q.layout], name).toEqual([N, K, 3, "NK"]);
      expect([q.codes.length, q.scales.length, q.zeroPoints.length, q.dequantized.length], name).toEqual([
        N * K,
        N * 3,
        N * 3,
        N * K,
      ]);
      for (let n = 0; n < N; n++) {
        for (let k = 0; k < K; k++) {
          const b = n * 3 + Math.floor(k / 32);
          const code = q.codes[n * K + k]!;
          expect(code, name).toBeLessThan(2 ** q.bits);
          const expected = Math.fround(Math.fround(code - q.zeroPoints[b]!) * q.scales[b]!);
          expect(q.dequantized[n * K + k], `${name} [${n}, ${k}]`).toBe(expected);
        }
      }
      if (q.symmetric) expect(new Set(q.zeroPoints), name).toEqual(new Set([2 ** (q.bits - 1)]));
    }
  });
  it("types: packable widths are a subset of the quantized ones; zero points are codes unless HQQ's floats", () => {
    expectTypeOf<WeightBits>().toExtend<BlockBits>();
    expectTypeOf<3>().toExtend<BlockBits>();
    expectTypeOf<3>().not.toExtend<WeightBits>();
    expectTypeOf<BlockQuantized["zeroPoints"]>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<ReturnType<typeof hqq>>().toExtend<BlockQuantized<Float32Array | Uint8Array>>();
    expectTypeOf<ReturnType<typeof hqq>["zeroPoints"]>().toEqualTypeOf<Float32Array | Uint8Array>();
    expectTypeOf(quantizeBlockwise).returns.toEqualTypeOf<BlockQuantized>();
  });
});
