import { describe, expect, it } from "vitest";
import { dequantizeBlockwise, hqq, packGatherBlockQuantized, quantizeBlockwise } from "../src/index";
import { gaussian } from "./_gaussian";

/**
 * com.microsoft.GatherBlockQuantized as its CPU kernel describes it, for gather_axis 0 and quantize_axis
 * 1 of a [V, D] table: output row i = (data[idx, d] - zero_point[idx, d / block_size]) * scale[idx, d /
 * block_size]. int4 / uint4 data: element j of the flat tensor in byte j >> 1, low nibble first, default
 * zero point 0; uint8 data with `bits`: 8 / bits elements per byte along a row, low bits first, zero points
 * packed the same along a row's blocks, default 2^(bits-1).
 */
function refGather(
  t: ReturnType<typeof packGatherBlockQuantized>,
  D: number,
  indices: number[],
): Float32Array {
  const bits = t.attributes.bits ?? 4;
  const bs = t.attributes.block_size;
  const nBlocks = Math.ceil(D / bs);
  const uint8 = t.data.type === "uint8";
  const signed = t.data.type === "int4";
  const per = 8 / bits;
  const elem = (data: Uint8Array, row: number, col: number, cols: number): number => {
    if (!uint8) {
      const j = row * cols + col;
      const raw = (data[j >> 1]! >> ((j & 1) * 4)) & 15;
      return signed && raw >= 8 ? raw - 16 : raw;
    }
    const rowBytes = Math.ceil(cols / per);
    return (data[row * rowBytes + Math.floor(col / per)]! >> ((col % per) * bits)) & ((1 << bits) - 1);
  };
  const out = new Float32Array(indices.length * D);
  indices.forEach((v, i) => {
    for (let d = 0; d < D; d++) {
      const b = Math.floor(d / bs);
      const zp =
        t.zeroPoints === null ? (uint8 ? 2 ** (bits - 1) : 0) : elem(t.zeroPoints.data, v, b, nBlocks);
      const s = (t.scales.data as Float32Array)[v * nBlocks + b]!;
      out[i * D + d] = Math.fround((elem(t.data.data, v, d, D) - zp) * s);
    }
  });
  return out;
}

describe("packGatherBlockQuantized", () => {
  const V = 7;
  const D = 72; // blocks of 32: 32 + 32 + 8
  const indices = [3, 0, 6, 3, 1];
  for (const bits of [2, 4, 8] as const) {
    for (const symmetric of [false, true]) {
      it(`bits ${bits}, ${symmetric ? "symmetric" : "asymmetric"}: the op's rows equal dequantizeBlockwise's rows`, () => {
        const table = gaussian(40 + bits, V * D);
        const q = quantizeBlockwise(table, [V, D], { bits, blockSize: 32, symmetric, arithmetic: "numpy" });
        const t = packGatherBlockQuantized(q);
        const attributes = { gather_axis: 0, quantize_axis: 1, block_size: 32 };
        expect(t.attributes).toEqual(bits === 4 ? attributes : { ...attributes, bits });
        expect(t.scales.dims).toEqual([V, 3]);
        if (bits === 4) {
          expect(t.data.type).toBe(symmetric ? "int4" : "uint4");
          expect(t.data.dims).toEqual([V, D]);
          expect(t.data.data.length).toBe((V * D) / 2);
          expect(t.zeroPoints?.dims ?? null).toEqual(symmetric ? null : [V, 3]);
          expect(t.zeroPoints?.type ?? null).toBe(symmetric ? null : "uint4");
        } else {
          expect(t.data.type).toBe("uint8");
          expect(t.data.dims).toEqual([V, (D * bits) / 8]);
          expect(t.zeroPoints?.dims ?? null).toEqual(symmetric ? null : [V, Math.ceil((3 * bits) / 8)]);
        }
        const deq = dequantizeBlockwise(q);
        const expected = new Float32Array(indices.length * D);
        indices.forEach((v, i) => {
          expected.set(deq.subarray(v * D, (v + 1) * D), i * D);
        });
        expect(refGather(t, D, indices)).toEqual(expected);
      });
    }
  }

  it("odd V * D packs int4 over the flat tensor (a row may start mid-byte)", () => {
    const q = quantizeBlockwise(gaussian(9, 3 * 17), [3, 17], {
      blockSize: 16,
      symmetric: true,
      arithmetic: "numpy",
    });
    const t = packGatherBlockQuantized(q);
    expect(t.data.data.length).toBe(26);
    const deq = dequantizeBlockwise(q);
    expect(refGather(t, 17, [1, 2])).toEqual(deq.subarray(17, 51));
  });

  it("HQQ with rounded zero points packs; float zero points, 3 bits and 2-bit rows of D % 4 != 0 throw", () => {
    const table = gaussian(11, 4 * 32);
    const rounded = hqq(table, [4, 32], { blockSize: 16, roundZeroPoint: true });
    expect(packGatherBlockQuantized(rounded).zeroPoints?.type).toBe("uint4");
    expect(() => packGatherBlockQuantized(hqq(table, [4, 32], { blockSize: 16 }))).toThrow(
      "packGatherBlockQuantized: zeroPoints are float (HQQ)",
    );
    expect(() =>
      packGatherBlockQuantized(quantizeBlockwise(table, [4, 32], { bits: 3, blockSize: 16 })),
    ).toThrow(/bits must be 2, 4 or 8 for GatherBlockQuantized.*got 3/);
    const odd = quantizeBlockwise(gaussian(12, 2 * 18), [2, 18], { bits: 2, blockSize: 16 });
    expect(() => packGatherBlockQuantized(odd)).toThrow("D = 18 is not a multiple of 4");
  });
});
