import { describe, expect, it } from "vitest";
import { float32 } from "../src/index";
import { allPatterns, SMALL_FORMATS, seeded } from "./_formats";
import {
  add,
  dyadicOf,
  float32Bits,
  float32FromBits,
  float32Neighbours,
  float64Neighbours,
  positiveValues,
  REF_FLOAT32,
  type RefSpec,
  refEncode,
  refEncodeByQuantum,
  toNumber,
} from "./_reference";

const CASES = SMALL_FORMATS.map(([format, ref]) => ({ name: format.name, format, ref }));

function overflowFor(ref: RefSpec, negative: boolean): number {
  const total = 1 + ref.E + ref.m;
  const sign = negative ? 2 ** (total - 1) : 0;
  if (ref.specials === "ieee") return sign + (2 ** ref.E - 1) * 2 ** ref.m;
  if (ref.specials === "fn") return sign + 2 ** (total - 1) - 1;
  return ref.nanBits;
}

interface Probe {
  x: number;
  want: number;
  what: string;
}

/**
 * Around every rounding tie of a format: the midpoint between each pair of adjacent values (the last
 * pair being the largest finite value and the first value past it, so the overflow threshold is one of
 * them), the float32 values one step below and above it, and the doubles one step below and above it,
 * each with both signs. The expected pattern is worked out from the enumeration alone: below a
 * midpoint the lower value, above it the upper one, at it the one with the even pattern.
 */
function tieProbes(ref: RefSpec): { f32: Probe[]; f64: Probe[] } {
  const list = positiveValues(ref);
  const total = 1 + ref.E + ref.m;
  const f32: Probe[] = [];
  const f64: Probe[] = [];
  for (let i = 0; i + 1 < list.length; i++) {
    const lo = list[i]!;
    const hi = list[i + 1]!;
    const sum = add(lo.v, hi.v);
    const mid = toNumber({ sig: sum.sig, exp: sum.exp - 1 });
    if (float32Bits(mid) !== float32Bits(Math.fround(mid)) || Math.fround(mid) !== mid) {
      throw new Error(`${ref.name}: midpoint ${mid} is not a float32`);
    }
    const even = lo.even ? lo : hi;
    for (const negative of [false, true]) {
      const pat = (e: typeof lo) => {
        if (e.pattern === -1) return overflowFor(ref, negative);
        if (e.pattern === 0 && negative && ref.specials === "fnuz") return 0;
        return (negative ? 2 ** (total - 1) : 0) + e.pattern;
      };
      const s = negative ? -1 : 1;
      const [up32, down32] = float32Neighbours(mid);
      const [up64, down64] = float64Neighbours(mid);
      f32.push({ x: s * mid, want: pat(even), what: "tie" });
      f32.push({ x: s * down32, want: pat(lo), what: "float32 below tie" });
      f32.push({ x: s * up32, want: pat(hi), what: "float32 above tie" });
      f64.push({ x: s * down64, want: pat(lo), what: "float64 below tie" });
      f64.push({ x: s * up64, want: pat(hi), what: "float64 above tie" });
    }
  }
  return { f32, f64 };
}

function mismatches(probes: Probe[], got: (p: Probe, i: number) => number, limit = 5): string[] {
  const out: string[] = [];
  probes.forEach((p, i) => {
    const g = got(p, i);
    if (g !== p.want && out.length < limit)
      out.push(`${p.what} ${p.x}: got 0x${g.toString(16)}, want 0x${p.want.toString(16)}`);
  });
  return out;
}

describe.each(CASES)("$name rounds to nearest, ties to even, at every tie", ({ format, ref }) => {
  const { f32, f64 } = tieProbes(ref);
  const all = [...f32, ...f64];

  it(`encode: ${all.length} values at, and one float32 / float64 step around, every midpoint`, () => {
    expect(mismatches(all, (p) => format.encode(p.x))).toEqual([]);
  });

  it("encodeArray(Float32Array) gives the same bits at and around every midpoint", () => {
    const got = format.encodeArray(Float32Array.from(f32, (p) => p.x));
    expect(mismatches(f32, (_, i) => got[i]!)).toEqual([]);
  });

  it("encodeArray(Float64Array) rounds once, from float64 (a double just off a tie is not a tie)", () => {
    const got = format.encodeArray(Float64Array.from(all, (p) => p.x));
    expect(mismatches(all, (_, i) => got[i]!)).toEqual([]);
  });

  it("the slow reference agrees with the worked-out answers", () => {
    const sample = all.filter((_, i) => i % 7 === 0);
    expect(mismatches(sample, (p) => refEncode(ref, p.x))).toEqual([]);
  });
});

describe.each(CASES)(
  "$name: random inputs, fast paths against the scalar encode and the reference",
  ({ format, ref }) => {
    const next = seeded(0x5eed + format.totalBits);

    it("200,000 random float32 bit patterns (all exponents, NaN payloads, subnormals)", () => {
      const bits = new Uint32Array(200_000);
      for (let i = 0; i < bits.length; i++) bits[i] = next();
      const values = new Float32Array(bits.buffer);
      const got = format.encodeArray(values);
      const bad: string[] = [];
      for (let i = 0; i < values.length && bad.length < 5; i++) {
        const want = format.encode(values[i]!);
        if (got[i] !== want)
          bad.push(
            `0x${bits[i]!.toString(16)}: array 0x${got[i]!.toString(16)} scalar 0x${want.toString(16)}`,
          );
        if (i % 20 === 0 && refEncode(ref, values[i]!) !== want)
          bad.push(`0x${bits[i]!.toString(16)}: reference differs`);
      }
      expect(bad).toEqual([]);
    });

    it("200,000 random doubles spread over the format's range and beyond", () => {
      const values = new Float64Array(200_000);
      const lo = Math.log2(format.minSubnormal) - 3;
      const hi = Math.log2(format.maxNormal) + 3;
      for (let i = 0; i < values.length; i++) {
        const mag = 2 ** (lo + ((hi - lo) * next()) / 2 ** 32) * (1 + next() / 2 ** 32);
        values[i] = next() & 1 ? -mag : mag;
      }
      const got = format.encodeArray(values);
      const bad: string[] = [];
      for (let i = 0; i < values.length && bad.length < 5; i++) {
        const want = format.encode(values[i]!);
        if (got[i] !== want)
          bad.push(`${values[i]}: array 0x${got[i]!.toString(16)} scalar 0x${want.toString(16)}`);
        if (i % 20 === 0 && refEncode(ref, values[i]!) !== want) bad.push(`${values[i]}: reference differs`);
      }
      expect(bad).toEqual([]);
    });

    it("zeros, infinities, NaN with any payload or sign, float32 and float64 subnormals", () => {
      const specials32 = [
        0, 0x80000000, 0x7f800000, 0xff800000, 0x7f800001, 0xffc00000, 0x7fbfffff, 0x00000001, 0x807fffff,
      ];
      const f32 = new Float32Array(new Uint32Array(specials32).buffer);
      const viaArray = format.encodeArray(f32);
      const want = Array.from(f32, (x) => refEncode(ref, x));
      expect(Array.from(viaArray)).toEqual(want);
      expect(Array.from(f32, (x) => format.encode(x))).toEqual(want);
      const f64 = new Float64Array([
        0,
        -0,
        Infinity,
        -Infinity,
        NaN,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
      ]);
      expect(Array.from(format.encodeArray(f64))).toEqual(Array.from(f64, (x) => refEncode(ref, x)));
    });

    it("encodeArray writes into a given out array and returns it; decodeArray too", () => {
      const values = new Float32Array([1, -2, 0.5]);
      const out = format.totalBits <= 8 ? new Uint8Array(4) : new Uint16Array(4);
      expect(format.encodeArray(values, out as never)).toBe(out);
      expect(Array.from(out.subarray(0, 3))).toEqual([
        format.encode(1),
        format.encode(-2),
        format.encode(0.5),
      ]);
      const decoded = new Float32Array(3);
      expect(format.decodeArray(out.subarray(0, 3) as never, decoded)).toBe(decoded);
      expect(Array.from(decoded)).toEqual([1, -2, 0.5]);
      const offset = new Float32Array(new ArrayBuffer(40), 8, 3);
      offset.set(values);
      expect(Array.from(format.encodeArray(offset))).toEqual(Array.from(out.subarray(0, 3)));
      expect(format.decodeArray(allPatterns(format) as never).length).toBe(2 ** format.totalBits);
    });
  },
);

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
