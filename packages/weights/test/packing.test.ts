import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dequantizeBlockwise,
  packBlockedDequantizeLinear,
  packMatMulNBits,
  quantizeBlockwise,
  unpackMatMulNBits,
} from "../src/index";
import { refPackB } from "./_reference";

function gaussian(seed: number, n: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal(0, 1));
}

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

  for (const [bits, symmetric] of [
    [2, false],
    [4, false],
    [4, true],
    [8, false],
  ] as const) {
    it(`unpackMatMulNBits inverts packMatMulNBits (bits ${bits}, ${symmetric ? "symmetric" : "asymmetric"})`, () => {
      const q = quantizeBlockwise(gaussian(10 + bits, 4 * 100), [4, 100], { bits, blockSize: 32, symmetric });
      const t = packMatMulNBits(q);
      const back = unpackMatMulNBits({
        ...t.attributes,
        B: t.B.data,
        scales: t.scales.data,
        zeroPoints: t.zeroPoints?.data,
      });
      expect(back.codes).toEqual(q.codes);
      expect(back.zeroPoints).toEqual(q.zeroPoints);
      expect(dequantizeBlockwise({ ...back, layout: "NK" })).toEqual(q.dequantized);
    });
  }
});

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

describe("packing properties (fast-check)", () => {
  it("any shape, width, block size and symmetry: unpack(pack(q)) gives q's codes, scales, zero points and weight back", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 8),
        fc.constantFrom(16, 32, 64),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 70 }),
        fc.boolean(),
        fc.constantFrom("float32", "float16"),
        fc.integer(),
        (bits, blockSize, N, extraK, symmetric, scaleType, seed) => {
          const K = blockSize + extraK;
          const q = quantizeBlockwise(gaussian(seed, N * K), [N, K], {
            bits: bits as 2 | 4 | 8,
            blockSize,
            symmetric,
            scaleType: scaleType as "float32" | "float16",
          });
          const t = packMatMulNBits(q);
          const back = unpackMatMulNBits({
            ...t.attributes,
            B: t.B.data,
            scales: t.scales.data,
            zeroPoints: t.zeroPoints?.data,
          });
          expect(back.codes).toEqual(q.codes);
          expect(back.scales).toEqual(q.scales);
          expect(back.zeroPoints).toEqual(q.zeroPoints);
          expect(dequantizeBlockwise({ ...back, layout: "NK" })).toEqual(q.dequantized);
        },
      ),
      { numRuns: 150, seed: 17 },
    );
  });
});
