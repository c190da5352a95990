import { describe, expect, it } from "vitest";
import type { FloatFormat } from "../src/index";
import { allPatterns, SMALL_FORMATS } from "./_formats";
import { refDecode, refEncode, sameValue } from "./_reference";

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

const CASES = SMALL_FORMATS.map(([format, ref]) => ({ name: format.name, format, ref }));

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
