// The checks every named small float format gets, run by that format's own test file
// (float16.test.ts, bfloat16.test.ts, ...): the known-answer vectors, every bit pattern against the
// exact reference, every rounding tie, and random inputs through the fast paths.
import { describe, expect, it } from "vitest";
import type { FloatFormat } from "../src/index";
import { allPatterns, seeded } from "./_formats";
import {
  add,
  float32Bits,
  float32Neighbours,
  float64Neighbours,
  positiveValues,
  type RefSpec,
  refDecode,
  refEncode,
  sameValue,
  toNumber,
} from "./_reference";
import vectors from "./vectors/float-known-answers.json";

/** The first few failures, so that a broken conversion reports what it got, not just a count. */
function failures<T>(items: Iterable<T>, bad: (item: T) => string | undefined, limit = 5): string[] {
  const out: string[] = [];
  for (const item of items) {
    const why = bad(item);
    if (why !== undefined && out.push(why) >= limit) break;
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const isNaNPattern = (format: FloatFormat, bits: number) => Number.isNaN(format.decode(bits));

function overflowFor(ref: RefSpec, negative: boolean): number {
  const total = 1 + ref.E + ref.m;
  const sign = negative ? 2 ** (total - 1) : 0;
  if (ref.specials === "ieee") return sign + (2 ** ref.E - 1) * 2 ** ref.m;
  if (ref.specials === "fn") return sign + 2 ** (total - 1) - 1;
  return ref.nanBits;
}

export interface Probe {
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
function parse(v: number | string): number {
  return typeof v === "number" ? v : v === "-0" ? -0 : Number(v);
}

/** The known-answer vectors of test/vectors/float-known-answers.json for these formats. */
export function knownAnswers(formats: FloatFormat[]): void {
  const BY_NAME = new Map(formats.map((f) => [f.name, f]));
  describe("known-answer vectors (test/vectors/float-known-answers.json)", () => {
    const entries = Object.entries(vectors).filter(([k]) => BY_NAME.has(k)) as Array<
      [string, Array<{ value: number | string; bits: string; decodes?: boolean; note?: string }>]
    >;
    it.each(entries)("%s", (name, list) => {
      const format = BY_NAME.get(name)!;
      expect(format).toBeDefined();
      for (const { value, bits, decodes } of list) {
        const x = parse(value);
        const want = Number.parseInt(bits, 16);
        expect([value, format.encode(x)]).toEqual([value, want]);
        expect([value, format.encodeArray(new Float64Array([x]))[0]]).toEqual([value, want]);
        if (Math.fround(x) === x || Number.isNaN(x)) {
          expect([value, format.encodeArray(new Float32Array([x]))[0]]).toEqual([value, want]);
        }
        if (decodes !== false) expect([bits, format.decode(want)]).toEqual([bits, x]);
      }
    });
  });
}

/** Every bit pattern, every rounding tie and random inputs of each format against its reference. */
export function formatSuites(formats: Array<[FloatFormat, RefSpec]>): void {
  const CASES = formats.map(([format, ref]) => ({ name: format.name, format, ref }));
  knownAnswers(formats.map(([f]) => f));

  describe.each(CASES)("$name: every bit pattern against the exact reference", ({ format, ref }) => {
    const n = 2 ** format.totalBits;
    const patterns = range(n);

    it(`decode(bits) equals the reference value for all ${n} patterns`, () => {
      expect(
        failures(patterns, (b) => {
          const got = format.decode(b);
          return sameValue(got, refDecode(ref, b)) ? undefined : `0x${b.toString(16)} -> ${got}`;
        }),
      ).toEqual([]);
    });

    it("decode -> encode round-trips every pattern (NaN patterns to the canonical NaN)", () => {
      expect(isNaNPattern(format, format.nanBits)).toBe(true);
      expect(
        failures(patterns, (b) => {
          const back = format.encode(format.decode(b));
          const want = isNaNPattern(format, b) ? format.nanBits : b;
          return back === want ? undefined : `0x${b.toString(16)} -> 0x${back.toString(16)}`;
        }),
      ).toEqual([]);
    });

    it("the reference encode agrees with the round trip (it is a real second opinion)", () => {
      expect(
        failures(patterns, (b) => {
          const v = format.decode(b);
          const want = Number.isNaN(v) ? ref.nanBits : b;
          const got = refEncode(ref, v);
          return got === want ? undefined : `ref 0x${b.toString(16)} -> 0x${got.toString(16)}`;
        }),
      ).toEqual([]);
    });

    it("decodeArray equals decode element by element, NaN as the canonical float32 NaN", () => {
      const bits = allPatterns(format);
      const values = format.decodeArray(bits as never);
      const raw = new Uint32Array(values.buffer);
      expect(
        failures(patterns, (b) => {
          const v = format.decode(b);
          if (Number.isNaN(v))
            return raw[b] === 0x7fc00000 ? undefined : `0x${b.toString(16)} -> NaN bits ${raw[b]}`;
          return Object.is(values[b], v) ? undefined : `0x${b.toString(16)} -> ${values[b]} != ${v}`;
        }),
      ).toEqual([]);
    });

    it("encodeArray(Float32Array) and encodeArray(Float64Array) of all decoded values give the patterns back", () => {
      const bits = allPatterns(format);
      const f32 = format.decodeArray(bits as never);
      const f64 = Float64Array.from(f32);
      for (const back of [format.encodeArray(f32), format.encodeArray(f64)]) {
        expect(
          failures(patterns, (b) => {
            const want = isNaNPattern(format, b) ? format.nanBits : b;
            return back[b] === want ? undefined : `0x${b.toString(16)} -> 0x${back[b]!.toString(16)}`;
          }),
        ).toEqual([]);
      }
    });
  });

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
          if (i % 20 === 0 && refEncode(ref, values[i]!) !== want)
            bad.push(`${values[i]}: reference differs`);
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
}
