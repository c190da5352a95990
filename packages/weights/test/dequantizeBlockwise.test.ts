import { describe, expect, it } from "vitest";
import { dequantizeBlockwise, hqq, quantizeBlockwise } from "../src/index";
import { gaussian } from "./_gaussian";

describe("dequantizeBlockwise", () => {
  it("(code - zeroPoint) * scale with block b = floor(k / blockSize), by hand, short last block included", () => {
    // N = 2, K = 20, blockSize 16: blocks of 16 and 4
    const codes = new Uint8Array(40);
    codes[0] = 15; // n 0, k 0, block 0
    codes[17] = 3; // n 0, k 17, block 1
    codes[20 + 5] = 0; // n 1, k 5, block 0
    const w = dequantizeBlockwise({
      codes,
      scales: new Float32Array([0.5, 2, 0.25, -1]),
      zeroPoints: new Uint8Array([8, 1, 4, 0]),
      N: 2,
      K: 20,
      blockSize: 16,
      layout: "NK",
    });
    expect(w[0]).toBe(3.5); // (15 - 8) * 0.5
    expect(w[1]).toBe(-4); // (0 - 8) * 0.5
    expect(w[17]).toBe(4); // (3 - 1) * 2
    expect(w[16]).toBe(-2); // (0 - 1) * 2
    expect(w[25]).toBe(-1); // (0 - 4) * 0.25
    expect(w[39]).toBe(-0); // (0 - 0) * -1
  });
  it("float zero points (HQQ): f32(code - zeroPoint) * scale", () => {
    const w = dequantizeBlockwise({
      codes: new Uint8Array(16).fill(3),
      scales: new Float32Array([0.1]),
      zeroPoints: new Float32Array([1.3]),
      N: 1,
      K: 16,
      blockSize: 16,
      layout: "NK",
    });
    expect(w[0]).toBe(Math.fround(Math.fround(3 - Math.fround(1.3)) * Math.fround(0.1)));
  });
  it("gives back the quantizers' own dequantized weight, in either layout", () => {
    const w = gaussian(3, 6 * 72);
    const q = quantizeBlockwise(w, [6, 72], { bits: 4, blockSize: 32 });
    expect(dequantizeBlockwise(q)).toEqual(q.dequantized);
    const h = hqq(w, [6, 72], { blockSize: 32 });
    expect(dequantizeBlockwise(h)).toEqual(h.dequantized);
    const kn = dequantizeBlockwise(q, "KN");
    for (let n = 0; n < 6; n++)
      for (let k = 0; k < 72; k++) expect(kn[k * 6 + n]).toBe(q.dequantized[n * 72 + k]);
    const qKN = quantizeBlockwise(kn, [72, 6], { layout: "KN", bits: 8, blockSize: 16 });
    expect(dequantizeBlockwise(qKN)).toEqual(qKN.dequantized);
  });
  it("arrays that do not fit N, K and blockSize are an error with the sizes", () => {
    expect(() =>
      dequantizeBlockwise({
        codes: new Uint8Array(32),
        scales: new Float32Array(3),
        zeroPoints: new Uint8Array(2),
        N: 2,
        K: 16,
        blockSize: 16,
        layout: "NK",
      }),
    ).toThrow(
      "dequantizeBlockwise: codes (32), scales (3) and zeroPoints (2) do not fit N = 2, K = 16, blockSize = 16",
    );
  });
});
