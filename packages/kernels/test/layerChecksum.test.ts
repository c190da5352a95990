import { describe, expect, it } from "vitest";
import { layerChecksum, prepareQuantizedLinear } from "../src/index";
import { TestRng } from "./_reference";

const M = 0x01000193n;
const MOD = 2n ** 32n;

/**
 * The checksum's definition for arrays of at most three 32-bit words (only the first lane runs):
 * h = (seed ^ length) then h = h * 0x01000193 + word (mod 2^32) per little-endian word, each array's
 * result seeding the next (weight, bias, multiplier, shift). BigInt, one word at a time.
 */
function refShortChecksum(arrays: Array<Int8Array | Int32Array>): number {
  let h = 0n;
  for (const a of arrays) {
    h = BigInt((Number(h) ^ a.length) >>> 0);
    const words = new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4);
    for (const w of words) h = (h * M + BigInt(w) + MOD * 2n) % MOD;
  }
  return Number(h);
}

function layer(rng: TestRng, inFeatures: number, outFeatures: number) {
  return prepareQuantizedLinear({
    weight: rng.int8(outFeatures * inFeatures),
    inFeatures,
    outFeatures,
    weightScale: new Float32Array(outFeatures).map((_, c) => 0.001 * (c + 1)),
    inputScale: 0.02,
    inputZeroPoint: 3,
    bias: rng.float32(outFeatures, 2),
    outputScale: 0.05,
    outputZeroPoint: 7,
  });
}

describe("layerChecksum", () => {
  it("equals the definition (h * 0x01000193 + word per array, chained) on layers of one to three words", () => {
    for (const [inFeatures, outFeatures] of [
      [4, 1],
      [2, 2],
      [4, 3],
      [12, 1],
    ] as const) {
      const l = layer(new TestRng(inFeatures * 10 + outFeatures), inFeatures, outFeatures);
      expect(layerChecksum(l)).toBe(refShortChecksum([l.weight, l.bias, l.multiplier, l.shift]));
    }
  });

  it("changes when any one element of the weight, bias, multiplier or shift changes, and comes back with it", () => {
    const rng = new TestRng(5);
    const l = layer(rng, 37, 9); // 333 weight bytes: four lanes, a word tail and a byte tail
    const base = layerChecksum(l);
    let tried = 0;
    for (const a of [l.weight, l.bias, l.multiplier, l.shift]) {
      for (let i = 0; i < a.length; i++) {
        const old = a[i]!;
        for (const delta of [1, -1, 64]) {
          a[i] = old + delta;
          if (a[i] === old) continue; // wrapped back (int8 + 64 twice is not tried)
          expect(layerChecksum(l), `element ${i} of an array of ${a.length}`).not.toBe(base);
          tried++;
        }
        a[i] = old;
        expect(layerChecksum(l)).toBe(base);
      }
    }
    expect(tried).toBe(3 * (333 + 9 + 9 + 9));
  });

  it("the documented example: an in-place edit of layer.weight is seen", () => {
    const l = prepareQuantizedLinear({
      weight: new Int8Array([1, 2]),
      inFeatures: 2,
      outFeatures: 1,
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 0,
    });
    const before = layerChecksum(l);
    expect(layerChecksum({ ...l, weight: l.weight.slice() })).toBe(before); // a copy with the same content
    l.weight[0] = 3;
    expect(layerChecksum(l)).not.toBe(before);
  });
});
