import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dequantizeBlockwise, packMatMulNBits, quantizeBlockwise, unpackMatMulNBits } from "../src/index";
import { gaussian } from "./_gaussian";

describe("unpackMatMulNBits", () => {
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

describe("bad input gets an error naming the argument and the value", () => {
  const w = new Float32Array(4 * 64).fill(0.5);
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    const t = packMatMulNBits(quantizeBlockwise(w, [4, 64], { bits: 4 }));
    expect(() => unpackMatMulNBits({ ...t.attributes, bits: 3, B: t.B.data, scales: t.scales.data })).toThrow(
      "unpackMatMulNBits: bits must be 2, 4 or 8 for MatMulNBits (codes packed into whole bytes), got 3",
    );
  });
});
