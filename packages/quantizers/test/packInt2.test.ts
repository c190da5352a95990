import { describe, expect, it } from "vitest";
import { packInt2, unpackInt2 } from "../src/index";

describe("packInt2 / unpackInt2", () => {
  it("puts element 4k + f in bits 2f..2f+1 (quint2x4 layout)", () => {
    expect(Array.from(packInt2(new Uint8Array([0, 1, 2, 3, 1])))).toEqual([0xe4, 0x01]);
    expect(Array.from(packInt2(new Int8Array([-2, -1, 0, 1])))).toEqual([0x4e]);
  });

  it("round-trips all 4^4 byte patterns, signed and unsigned, and ragged lengths", () => {
    const unsigned = new Uint8Array(256 * 4);
    const signed = new Int8Array(256 * 4);
    for (let b = 0; b < 256; b++) {
      for (let f = 0; f < 4; f++) {
        const field = (b >> (2 * f)) & 3;
        unsigned[4 * b + f] = field;
        signed[4 * b + f] = field >= 2 ? field - 4 : field;
      }
    }
    const pu = packInt2(unsigned);
    expect(pu).toEqual(Uint8Array.from({ length: 256 }, (_, b) => b));
    expect(packInt2(signed)).toEqual(pu); // two's complement fields: the same bytes
    expect(unpackInt2(pu)).toEqual(unsigned);
    expect(unpackInt2(pu, { signed: true })).toEqual(signed);
    for (const length of [1, 2, 3, 5, 1023]) {
      const p = packInt2(unsigned.subarray(0, length));
      expect(p.length).toBe(Math.ceil(length / 4));
      expect(unpackInt2(p, { length })).toEqual(unsigned.slice(0, length));
    }
  });

  it("rejects codes outside the 2-bit range", () => {
    expect(() => packInt2(new Uint8Array([4]))).toThrow(
      "packInt2: codes[0] = 4 is outside the unsigned 2-bit range [0, 3]",
    );
    expect(() => packInt2(new Int8Array([2]))).toThrow(
      "packInt2: codes[0] = 2 is outside the signed 2-bit range [-2, 1]",
    );
  });
});
