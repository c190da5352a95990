import { describe, expect, it } from "vitest";
import { dequantizeBlockwise, packBlockedDequantizeLinear, quantizeBlockwise } from "../src/index";
import { gaussian } from "./_gaussian";

describe("packBlockedDequantizeLinear", () => {
  /** DequantizeLinear's definition on the packed tensors: (x - zero_point) * scale, block b = floor(k / blockSize). */
  function dequantizeQdq(
    t: ReturnType<typeof packBlockedDequantizeLinear>,
    K: number,
    N: number,
    bits: number,
  ): Float32Array {
    const signed = t.x.type === "int4" || t.x.type === "int8";
    const field = (data: Uint8Array, i: number): number => {
      const raw = bits === 8 ? data[i]! : (data[i >> 1]! >> ((i & 1) * 4)) & 15;
      return signed && raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;
    };
    const out = new Float32Array(K * N);
    const bs = t.attributes.block_size;
    for (let k = 0; k < K; k++) {
      for (let n = 0; n < N; n++) {
        const b = Math.floor(k / bs);
        const zp = t.xZeroPoint === null ? 0 : field(t.xZeroPoint.data, b * N + n);
        out[k * N + n] = Math.fround(
          (field(t.x.data, k * N + n) - zp) * (t.xScale.data as Float32Array)[b * N + n]!,
        );
      }
    }
    return out;
  }

  for (const [bits, symmetric] of [
    [4, false],
    [4, true],
    [8, false],
    [8, true],
  ] as const) {
    it(`bits ${bits} ${symmetric ? "symmetric (int, no zero point)" : "asymmetric (uint + zero point)"}: dequantizes to the same [K, N] weight`, () => {
      const N = 5;
      const K = 40;
      const q = quantizeBlockwise(gaussian(20 + bits, N * K), [N, K], { bits, blockSize: 16, symmetric });
      const t = packBlockedDequantizeLinear(q);
      expect(t.x.dims).toEqual([K, N]);
      expect(t.xScale.dims).toEqual([3, N]);
      expect(t.x.type).toBe(`${symmetric ? "int" : "uint"}${bits}`);
      expect(t.x.data.length).toBe(bits === 4 ? Math.ceil((K * N) / 2) : K * N);
      expect(dequantizeQdq(t, K, N, bits)).toEqual(dequantizeBlockwise(q, "KN"));
    });
  }

  it("rejects 2-bit weights", () => {
    const q = quantizeBlockwise(gaussian(1, 32), [1, 32], { bits: 2 });
    expect(() => packBlockedDequantizeLinear(q)).toThrow(/bits must be 4 or 8.*got 2/);
  });
});

describe("bad input gets an error naming the argument and the value", () => {
  const w = new Float32Array(4 * 64).fill(0.5);
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    const q3 = quantizeBlockwise(w, [4, 64], { bits: 3 });
    expect(() => packBlockedDequantizeLinear(q3)).toThrow(/bits must be 4 or 8.*got 3/);
  });
});

describe("packBlockedDequantizeLinear with axis 1 (an embedding table [V, D], blocks along D)", () => {
  for (const [bits, symmetric] of [
    [4, false],
    [4, true],
    [8, false],
    [8, true],
  ] as const) {
    it(`bits ${bits} ${symmetric ? "symmetric" : "asymmetric"}: x [V, D], scales [V, nBlocks]; DequantizeLinear's definition gives the table back`, () => {
      const V = 5;
      const D = 40;
      const q = quantizeBlockwise(gaussian(30 + bits, V * D), [V, D], { bits, blockSize: 16, symmetric });
      const t = packBlockedDequantizeLinear(q, { axis: 1 });
      expect(t.attributes).toEqual({ axis: 1, block_size: 16 });
      expect(t.x.dims).toEqual([V, D]);
      expect(t.xScale.dims).toEqual([V, 3]);
      expect(t.xZeroPoint?.dims ?? null).toEqual(symmetric ? null : [V, 3]);
      const signed = symmetric;
      const field = (data: Uint8Array, i: number): number => {
        const raw = bits === 8 ? data[i]! : (data[i >> 1]! >> ((i & 1) * 4)) & 15;
        return signed && raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;
      };
      const out = new Float32Array(V * D);
      for (let v = 0; v < V; v++)
        for (let d = 0; d < D; d++) {
          const b = v * 3 + Math.floor(d / 16);
          const zp =
            t.xZeroPoint === null
              ? 0
              : bits === 8
                ? t.xZeroPoint.data[b]!
                : (t.xZeroPoint.data[b >> 1]! >> ((b & 1) * 4)) & 15;
          out[v * D + d] = Math.fround(
            (field(t.x.data, v * D + d) - zp) * (t.xScale.data as Float32Array)[b]!,
          );
        }
      expect(out).toEqual(dequantizeBlockwise(q));
    });
  }

  it("rejects an axis other than 0 or 1 and unknown options", () => {
    const q = quantizeBlockwise(gaussian(1, 32), [1, 32]);
    expect(() => packBlockedDequantizeLinear(q, { axis: 2 as never })).toThrow("axis must be 0 or 1, got 2");
    expect(() => packBlockedDequantizeLinear(q, { axes: 1 } as never)).toThrow('unknown option "axes"');
  });
});
