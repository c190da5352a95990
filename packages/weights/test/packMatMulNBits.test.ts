import { describe, expect, it } from "vitest";
import { packMatMulNBits, quantizeBlockwise, unpackMatMulNBits } from "../src/index";
import { gaussian } from "./_gaussian";
import { refPackB } from "./_reference";

function codesOf(q: { codes: Uint8Array; N: number; K: number }): number[][] {
  return Array.from({ length: q.N }, (_, n) => Array.from(q.codes.subarray(n * q.K, (n + 1) * q.K)));
}

describe("packMatMulNBits", () => {
  for (const bits of [2, 4, 8] as const) {
    it(`bits ${bits}: B is [N, nBlocks, blockSize * bits / 8], codes low bits first, padding codes 0`, () => {
      const N = 3;
      const K = 70; // blocks of 32: 32 + 32 + 6
      const q = quantizeBlockwise(gaussian(bits, N * K), [N, K], { bits, blockSize: 32 });
      const t = packMatMulNBits(q);
      expect(t.attributes).toEqual({ K, N, bits, block_size: 32 });
      expect(t.B.dims).toEqual([N, 3, (32 * bits) / 8]);
      expect(Array.from(t.B.data)).toEqual(refPackB(codesOf(q), K, bits, 32));
      expect(t.scales.dims).toEqual([N, 3]);
      expect(t.scales.data).toEqual(q.scales);
    });
  }

  it("zero points: packed per column, unused slots 2^(bits-1); none when symmetric", () => {
    const N = 2;
    const K = 48; // 3 blocks of 16
    const q4 = quantizeBlockwise(gaussian(5, N * K), [N, K], { bits: 4, blockSize: 16 });
    const zp4 = packMatMulNBits(q4).zeroPoints!;
    expect(zp4.dims).toEqual([N, 2]);
    const z = q4.zeroPoints;
    expect(Array.from(zp4.data)).toEqual([
      z[0]! | (z[1]! << 4),
      z[2]! | (8 << 4),
      z[3]! | (z[4]! << 4),
      z[5]! | (8 << 4),
    ]);
    const q2 = quantizeBlockwise(gaussian(6, N * K), [N, K], { bits: 2, blockSize: 16 });
    const zp2 = packMatMulNBits(q2).zeroPoints!;
    expect(zp2.dims).toEqual([N, 1]);
    const y = q2.zeroPoints;
    expect(Array.from(zp2.data)).toEqual([
      y[0]! | (y[1]! << 2) | (y[2]! << 4) | (2 << 6),
      y[3]! | (y[4]! << 2) | (y[5]! << 4) | (2 << 6),
    ]);
    const q8 = quantizeBlockwise(gaussian(7, N * K), [N, K], { bits: 8, blockSize: 16 });
    expect(Array.from(packMatMulNBits(q8).zeroPoints!.data)).toEqual(Array.from(q8.zeroPoints));
    expect(
      packMatMulNBits(quantizeBlockwise(gaussian(8, N * K), [N, K], { blockSize: 16, symmetric: true }))
        .zeroPoints,
    ).toBeNull();
  });

  it("float16 scales come as IEEE half bits", () => {
    const q = quantizeBlockwise(gaussian(9, 64), [2, 32], { scaleType: "float16" });
    const t = packMatMulNBits(q);
    expect(t.scales.type).toBe("float16");
    expect(t.scales.data).toBeInstanceOf(Uint16Array);
    const back = unpackMatMulNBits({
      ...t.attributes,
      B: t.B.data,
      scales: t.scales.data,
      zeroPoints: t.zeroPoints?.data,
    });
    expect(back.scales).toEqual(q.scales);
  });
});

describe("bad input gets an error naming the argument and the value", () => {
  const w = new Float32Array(4 * 64).fill(0.5);
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    const q3 = quantizeBlockwise(w, [4, 64], { bits: 3 });
    expect(() => packMatMulNBits(q3)).toThrow(
      "packMatMulNBits: bits must be 2, 4 or 8 for MatMulNBits (codes packed into whole bytes), got 3",
    );
  });
});
