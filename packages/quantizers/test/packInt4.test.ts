import { describe, expect, it } from "vitest";
import { calculateQParams, packInt4, quantize, quantizePerTensor, unpackInt4 } from "../src/index";

describe("options objects reject unknown keys (item 8)", () => {
  it.each([["unpackInt4", () => unpackInt4(new Uint8Array(2), { lenght: 3 } as never)]])(
    "%s",
    (name, call) => {
      expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
    },
  );
});

describe("packInt4 / unpackInt4", () => {
  it("puts element 2k in the low nibble and 2k + 1 in the high nibble (quint4x2 layout)", () => {
    expect(Array.from(packInt4(new Uint8Array([1, 2, 15])))).toEqual([0x21, 0x0f]);
    expect(Array.from(packInt4(new Int8Array([-1, 7, -8])))).toEqual([0x7f, 0x08]);
    expect(Array.from(unpackInt4(new Uint8Array([0x7f, 0x08]), { length: 3, signed: true }))).toEqual([
      -1, 7, -8,
    ]);
  });

  it("round-trips every code in every position (pairs of all 16 x 16 codes, odd lengths)", () => {
    const unsigned = new Uint8Array(16 * 16 * 2 + 1);
    const signed = new Int8Array(16 * 16 * 2 + 1);
    let k = 0;
    for (let a = 0; a < 16; a++) {
      for (let b = 0; b < 16; b++) {
        unsigned[k] = a;
        signed[k] = a - 8;
        k++;
        unsigned[k] = b;
        signed[k] = b - 8;
        k++;
      }
    }
    unsigned[k] = 9;
    signed[k] = -3;
    for (let length = unsigned.length - 3; length <= unsigned.length; length++) {
      const u = unsigned.subarray(0, length);
      const s = signed.subarray(0, length);
      const pu = packInt4(u);
      const ps = packInt4(s);
      expect(pu.length).toBe(Math.ceil(length / 2));
      expect(unpackInt4(pu, { length })).toEqual(new Uint8Array(u));
      expect(unpackInt4(ps, { length, signed: true })).toEqual(new Int8Array(s));
      // every byte of the 256 pairs is the two nibbles
      for (let j = 0; j < 256 && 2 * j + 1 < length; j++)
        expect(pu[j]).toBe(u[2 * j]! | (u[2 * j + 1]! << 4));
    }
  });

  it("makes a 4-bit tensor take an eighth of its float32 size", () => {
    const x = new Float32Array(4096).map((_, i) => Math.sin(i));
    const codes = quantize(
      x,
      [4096],
      calculateQParams(-1, 1, { dtype: "qint4", qscheme: "per_tensor_symmetric" }),
    );
    expect(codes).toBeInstanceOf(Int8Array);
    const packed = packInt4(codes as Int8Array);
    expect(packed.byteLength * 8).toBe(x.byteLength);
    expect(unpackInt4(packed, { signed: true })).toEqual(codes);
    // quint4 codes from quantizePerTensor pack into PyTorch's quint4x2 bytes
    const q = quantizePerTensor(new Float32Array([0.1, 0.2, 0.3]), 0.1, 0, "quint4");
    expect(Array.from(packInt4(q))).toEqual([q[0]! | (q[1]! << 4), q[2]!]);
  });

  it("rejects codes outside the 4-bit range and non-byte arrays", () => {
    expect(() => packInt4(new Uint8Array([3, 16]))).toThrow(
      "packInt4: codes[1] = 16 is outside the unsigned 4-bit range [0, 15]",
    );
    expect(() => packInt4(new Int8Array([0, -9]))).toThrow(
      "packInt4: codes[1] = -9 is outside the signed 4-bit range [-8, 7]",
    );
    // @ts-expect-error wrong array type
    expect(() => packInt4(new Int16Array(2))).toThrow(/Uint8Array.*Int8Array/);
    expect(() => unpackInt4(new Uint8Array(2), { length: 5 })).toThrow(
      /length must be an integer in \[0, 4\]/,
    );
  });
});
