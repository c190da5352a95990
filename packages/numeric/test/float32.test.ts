import { describe, expect, it } from "vitest";
import { float32 } from "../src/index";
import { knownAnswers, type Probe } from "./_formatSuites";
import { seeded } from "./_formats";
import {
  dyadicOf,
  float32Bits,
  float32FromBits,
  float64Neighbours,
  REF_FLOAT32,
  refEncodeByQuantum,
} from "./_reference";

knownAnswers([float32]);

describe("float32 rounds doubles to nearest, ties to even", () => {
  const next = seeded(32);
  const probes: Probe[] = [];
  const add32 = (b: number) => {
    // b and b + 1 are adjacent positive float32 patterns; their midpoint is a double.
    const lo = float32FromBits(b);
    const hi = b + 1 === 0x7f800000 ? 2 ** 128 : float32FromBits(b + 1);
    const mid = (lo + hi) / 2; // exact: 25 significant bits
    const even = b % 2 === 0 ? b : b + 1;
    const [up, down] = float64Neighbours(mid);
    for (const s of [1, -1]) {
      const sign = s < 0 ? 0x80000000 : 0;
      probes.push({ x: s * mid, want: sign + even, what: "tie" });
      probes.push({ x: s * down, want: sign + b, what: "below tie" });
      probes.push({ x: s * up, want: sign + b + 1, what: "above tie" });
    }
  };
  for (let b = 0; b < 4096; b++) add32(b); // subnormals near zero
  for (let b = 0x007ff000; b < 0x00801000; b++) add32(b); // the subnormal / normal boundary
  for (let b = 0x7f7ff000; b < 0x7f800000; b++) add32(b); // the overflow threshold (last: tie to Infinity)
  for (let e = 1; e < 255; e++) {
    add32(e << 23); // the bottom and top of every binade
    add32((e << 23) - 1);
  }
  for (let i = 0; i < 20_000; i++) add32(next() % 0x7f800000);

  it(`encode, encodeArray(Float64Array), Math.fround and the BigInt reference agree on ${probes.length} values`, () => {
    const arr = float32.encodeArray(Float64Array.from(probes, (p) => p.x));
    const bad: string[] = [];
    probes.forEach((p, i) => {
      if (bad.length >= 5) return;
      const got = [
        float32.encode(p.x),
        arr[i]!,
        float32Bits(Math.fround(p.x)),
        refEncodeByQuantum(REF_FLOAT32, p.x),
      ];
      if (got.some((g) => g !== p.want))
        bad.push(`${p.what} ${p.x}: ${got.map((g) => g.toString(16))} want ${p.want.toString(16)}`);
    });
    expect(bad).toEqual([]);
  });

  it("encodeArray(Float32Array) is the identity on bits except NaN payloads", () => {
    const bits = new Uint32Array(100_000);
    for (let i = 0; i < bits.length; i++) bits[i] = next();
    const out = float32.encodeArray(new Float32Array(bits.buffer));
    const bad = [];
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      const nan = (b & 0x7fffffff) > 0x7f800000;
      if (out[i] !== (nan ? 0x7fc00000 : b)) bad.push(b);
    }
    expect(bad).toEqual([]);
  });

  it("the dyadic helper is exact (sanity check of the reference itself)", () => {
    expect(dyadicOf(0.15625)).toEqual({ sign: 0, v: { sig: 5629499534213120n, exp: -55 } });
    expect(dyadicOf(-5e-324)).toEqual({ sign: 1, v: { sig: 1n, exp: -1074 } });
  });
});
