import { describe, expect, it } from "vitest";
import {
  bfloat16,
  createFloatFormat,
  type FloatFormat,
  type FloatFormatSpec,
  float8e4m3fn,
  float8e4m3fnuz,
  float8e5m2,
  float8e5m2fnuz,
  float16,
  float32,
} from "../src/index";
import { ALL_FORMATS, SMALL_FORMATS, seeded } from "./_formats";
import {
  positiveValues,
  type RefSpec,
  refDecode,
  refEncode,
  refEncodeByQuantum,
  sameValue,
  toNumber,
} from "./_reference";

import vectors from "./vectors/float-known-answers.json";

describe("format layouts and limits", () => {
  it("every named format has known-answer vectors, each run by its own test file", () => {
    const named = Object.keys(vectors).filter((k) => !k.startsWith("_"));
    expect(named.sort()).toEqual(ALL_FORMATS.map(([f]) => f.name).sort());
  });

  it("match the published definitions", () => {
    const rows = ALL_FORMATS.map(([f]) => [
      f.name,
      f.exponentBits,
      f.mantissaBits,
      f.bias,
      f.totalBits,
      f.specials,
      f.maxNormal,
      f.minNormal,
      f.minSubnormal,
      f.epsilon,
    ]);
    expect(rows).toEqual([
      ["float32", 8, 23, 127, 32, "ieee", 3.4028234663852886e38, 2 ** -126, 2 ** -149, 2 ** -23],
      ["float16", 5, 10, 15, 16, "ieee", 65504, 2 ** -14, 2 ** -24, 2 ** -10],
      ["bfloat16", 8, 7, 127, 16, "ieee", 3.3895313892515355e38, 2 ** -126, 2 ** -133, 2 ** -7],
      ["float8_e4m3fn", 4, 3, 7, 8, "fn", 448, 2 ** -6, 2 ** -9, 2 ** -3],
      ["float8_e5m2", 5, 2, 15, 8, "ieee", 57344, 2 ** -14, 2 ** -16, 2 ** -2],
      ["float8_e4m3fnuz", 4, 3, 8, 8, "fnuz", 240, 2 ** -7, 2 ** -10, 2 ** -3],
      ["float8_e5m2fnuz", 5, 2, 16, 8, "fnuz", 57344, 2 ** -15, 2 ** -17, 2 ** -2],
    ]);
    expect(float32.maxNormal).toBe((2 - 2 ** -23) * 2 ** 127);
    expect(float16.maxSubnormal).toBe(1023 * 2 ** -24);
    expect(float8e4m3fn.maxSubnormal).toBe(7 * 2 ** -9);
    expect(float32.maxExactInteger).toBe(2 ** 24);
    expect(float16.maxExactInteger).toBe(2048);
    expect(bfloat16.maxExactInteger).toBe(256);
    expect([float16.infinityBits, float8e5m2.infinityBits, float8e4m3fn.infinityBits]).toEqual([
      0x7c00,
      0x7c,
      null,
    ]);
    expect([float8e4m3fn.hasInfinity, float8e4m3fn.hasNegativeZero, float8e4m3fnuz.hasNegativeZero]).toEqual([
      false,
      true,
      false,
    ]);
  });

  it.each(SMALL_FORMATS.map(([f, r]) => ({ name: f.name, f, r })))(
    "$name: limits equal the extremes of the enumerated values",
    ({ f, r }) => {
      const list = positiveValues(r);
      const finite = list.slice(0, -1).map((e) => toNumber(e.v));
      expect(f.minSubnormal).toBe(finite[1]);
      expect(f.maxNormal).toBe(finite[finite.length - 1]);
      expect(f.minNormal).toBe(finite[2 ** r.m]);
      expect(f.maxSubnormal).toBe(finite[2 ** r.m - 1]);
      expect(f.epsilon).toBe(finite[finite.indexOf(1) + 1]! - 1);
    },
  );
});

describe("fields and explain: the deck's worked example", () => {
  it("0.15625 as float32 is sign 0, exponent 124 (2^-3), mantissa 1.25", () => {
    expect(float32.fields(0.15625)).toEqual({
      sign: 0,
      biasedExponent: 124,
      exponent: -3,
      mantissaBits: 0b01000000000000000000000,
      mantissa: 1.25,
      kind: "normal",
      bits: 0x3e200000,
      hex: "0x3e200000",
      bitString: "0 01111100 01000000000000000000000",
      value: 0.15625,
    });
    expect(float32.explain(0.15625).text).toBe(
      "0.15625 (float32) = 0 01111100 01000000000000000000000 = (+1) x 2^(124-127) x 1.25 = +0.15625 (exact)",
    );
  });

  it("reports the rounding error of 1/3 in float16", () => {
    const e = float16.explain(1 / 3);
    // 1/3 = 1.0101...b x 2^-2; 10 fraction bits 0101010101, the rest 0101... < half: rounds down.
    expect(e.bits).toBe(0x3555);
    expect(e.mantissa).toBe(1 + 0b0101010101 / 1024);
    expect(e.value).toBe(1365 / 4096);
    expect(e.error).toBe(1365 / 4096 - 1 / 3);
    expect(e.outcome).toBe("rounded");
    expect(e.text).toBe(
      "0.3333333333333333 (float16) = 0 01101 0101010101 = (+1) x 2^(13-15) x 1.3330078125 = +0.333251953125 (rounded: error -8.138e-5, relative -2.441e-4)",
    );
  });

  it("names subnormals, zeros, underflow and overflow", () => {
    expect(float16.fields(2 ** -24)).toMatchObject({
      kind: "subnormal",
      biasedExponent: 0,
      exponent: -14,
      mantissa: 1 / 1024,
    });
    expect(float16.fields(-0)).toMatchObject({ kind: "zero", sign: 1, bits: 0x8000 });
    expect(float16.explain(-2.5e-8)).toMatchObject({ outcome: "underflow", bits: 0x8000, error: 2.5e-8 });
    expect(float16.explain(-2.5e-8).text).toBe(
      "-2.5e-8 (float16) = 1 00000 0000000000 = (-1) x 2^(1-15) x 0 = -0 (underflow: below half the smallest subnormal 5.960464477539063e-8, error +2.500e-8)",
    );
    expect(float16.explain(1e5)).toMatchObject({ outcome: "overflow", kind: "infinity", value: Infinity });
    expect(float8e4m3fn.explain(65504)).toMatchObject({ outcome: "overflow", kind: "nan", bits: 0x7f });
    expect(float8e4m3fn.explain(65504).text).toBe(
      "65504 (float8_e4m3fn) = 0 1111 111 = NaN (overflow: float8_e4m3fn has no infinity; past the largest finite 448 is NaN)",
    );
    expect(float16.explain(Number.NaN)).toMatchObject({
      outcome: "nan",
      kind: "nan",
      text: "NaN (float16) = 0 11111 1000000000 = NaN",
    });
    expect(float8e4m3fnuz.explain(-0).text).toContain("no -0");
    expect(float16.fieldsFromBits(0x7c01)).toMatchObject({ kind: "nan", mantissa: Number.NaN });
  });

  it.each(ALL_FORMATS.map(([f]) => ({ name: f.name, f })))(
    "$name: value = (-1)^sign x 2^exponent x mantissa",
    ({ f }) => {
      const values = [0.15625, 1 / 3, 65504, -2.5e-8, 1e-40, -7.75, 2 ** -20, 300];
      for (const v of values) {
        const x = f.fields(v);
        if (x.kind === "nan" || x.kind === "infinity") continue;
        expect((x.sign ? -1 : 1) * 2 ** x.exponent * x.mantissa).toBe(x.value);
        expect(x.bitString.replaceAll(" ", "")).toBe(x.bits.toString(2).padStart(f.totalBits, "0"));
      }
    },
  );
});

describe("ulp, nextUp, nextDown", () => {
  it.each(SMALL_FORMATS.map(([f, r]) => ({ name: f.name, f, r })))(
    "$name: nextUp / nextDown step through every value in order; ulp is the gap",
    ({ f, r }) => {
      const list = positiveValues(r).slice(0, -1);
      const values = list.map((e) => toNumber(e.v));
      const bad: string[] = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        const up = i + 1 < values.length ? values[i + 1]! : f.hasInfinity ? Infinity : Number.NaN;
        if (!Object.is(f.nextUp(v), up)) bad.push(`nextUp(${v}) = ${f.nextUp(v)}`);
        if (i > 0 && f.nextDown(v) !== values[i - 1]) bad.push(`nextDown(${v}) = ${f.nextDown(v)}`);
        if (i > 0 && !Object.is(f.nextUp(-v), i === 1 ? (f.hasNegativeZero ? -0 : 0) : -values[i - 1]!)) {
          bad.push(`nextUp(${-v}) = ${f.nextUp(-v)}`);
        }
        if (i + 1 < values.length && v >= f.minNormal && f.ulp(v) !== values[i + 1]! - v)
          bad.push(`ulp(${v})`);
        // Between two values: nextUp is the upper one, nextDown the lower one.
        if (i + 1 < values.length) {
          const between = (v + values[i + 1]!) / 2;
          if (f.nextUp(between) !== values[i + 1] || f.nextDown(between) !== v)
            bad.push(`between ${between}`);
          if (Math.abs(f.round(between) - between) > f.ulp(between) / 2) bad.push(`ulp bound at ${between}`);
        }
        if (bad.length > 5) break;
      }
      expect(bad).toEqual([]);
      expect(f.nextUp(-Infinity)).toBe(-f.maxNormal);
      expect(f.nextDown(Infinity)).toBe(f.maxNormal); // the largest value below +Infinity, format value or not
      expect(f.nextUp(Number.NaN)).toBeNaN();
      expect(f.ulp(0)).toBe(f.minSubnormal);
      expect(f.ulp(-Infinity)).toBe(Infinity);
      expect(f.ulp(Number.NaN)).toBeNaN();
      expect(f.nextDown(0)).toBe(-f.minSubnormal);
    },
  );

  it("float16 and float32 examples", () => {
    expect([float16.ulp(1), float16.ulp(1000), float16.ulp(65504), float16.ulp(1e9)]).toEqual([
      2 ** -10,
      0.5,
      32,
      32,
    ]);
    expect([float16.nextUp(1), float16.nextDown(1), float16.nextUp(65504)]).toEqual([
      1 + 2 ** -10,
      1 - 2 ** -11,
      Infinity,
    ]);
    expect(float32.nextUp(1)).toBe(1 + 2 ** -23);
    expect(float32.nextUp(0.1)).toBe(Math.fround(0.1)); // fround(0.1) > 0.1
    expect(float32.nextDown(0.1)).toBe(float32.decode(0x3dcccccc)); // fround(0.1) is 0x3dcccccd
    expect(float32.ulp(2 ** 24)).toBe(2);
    expect(float8e4m3fn.nextUp(448)).toBeNaN();
    expect(float8e5m2fnuz.nextDown(2 ** -17)).toBe(0);
    expect(Object.is(float8e5m2fnuz.nextDown(2 ** -17), 0)).toBe(true);
  });
});

describe("custom formats from createFloatFormat against the reference", () => {
  const specs: RefSpec[] = [
    { name: "e3m4", E: 3, m: 4, bias: 3, specials: "ieee", nanBits: 0x78 },
    { name: "e2m5fn", E: 2, m: 5, bias: 1, specials: "fn", nanBits: 0x7f },
    { name: "e4m2fnuz", E: 4, m: 2, bias: 8, specials: "fnuz", nanBits: 0x40 },
    { name: "e6m9", E: 6, m: 9, bias: 31, specials: "ieee", nanBits: 0x7f00 },
    { name: "e5m6b20", E: 5, m: 6, bias: 20, specials: "fn", nanBits: 0xfff },
    { name: "e8m4", E: 8, m: 4, bias: 127, specials: "ieee", nanBits: 0xff8 }, // float32 subnormals matter
  ];
  it.each(specs)("$name: all patterns decode, round-trip, and encode ties like the reference", (r) => {
    const f: FloatFormat = createFloatFormat({
      name: r.name,
      exponentBits: r.E,
      mantissaBits: r.m,
      bias: r.bias,
      specials: r.specials,
      nanBits: r.nanBits,
    });
    const n = 2 ** f.totalBits;
    const bad: string[] = [];
    const values: number[] = [];
    for (let b = 0; b < n && bad.length < 5; b++) {
      const v = f.decode(b);
      values.push(v);
      if (!sameValue(v, refDecode(r, b))) bad.push(`decode 0x${b.toString(16)}`);
      const back = f.encode(v);
      if (back !== (Number.isNaN(v) ? r.nanBits : b))
        bad.push(`round trip 0x${b.toString(16)} -> 0x${back.toString(16)}`);
    }
    // Midpoints of adjacent positive values and a little around them, through all three paths.
    const list = positiveValues(r).map((e) => toNumber(e.v));
    const probes: number[] = [];
    for (let i = 0; i + 1 < list.length; i++) {
      const mid = (list[i]! + list[i + 1]!) / 2;
      probes.push(mid, -mid, mid * (1 + 2 ** -20), mid * (1 - 2 ** -20), -mid * (1 + 2 ** -40));
    }
    const a32 = f.encodeArray(Float32Array.from(probes));
    const a64 = f.encodeArray(Float64Array.from(probes));
    probes.forEach((x, i) => {
      const want = refEncode(r, x);
      if (bad.length < 5 && f.encode(x) !== want) bad.push(`encode(${x})`);
      if (bad.length < 5 && a64[i] !== want) bad.push(`encodeArray64(${x})`);
      if (bad.length < 5 && Math.fround(x) === x && a32[i] !== want) bad.push(`encodeArray32(${x})`);
    });
    const decoded = f.decodeArray(f.encodeArray(Float64Array.from(values.filter((v) => !Number.isNaN(v)))));
    expect(Array.from(decoded)).toEqual(values.filter((v) => !Number.isNaN(v)));
    expect(bad).toEqual([]);
  });
});

describe("wide custom formats (17..31 bits: scalar paths), sampled against the quantum reference", () => {
  const specs: RefSpec[] = [
    { name: "e6m13", E: 6, m: 13, bias: 31, specials: "ieee", nanBits: 0x7f000 },
    { name: "e8m20", E: 8, m: 20, bias: 127, specials: "ieee", nanBits: 0xffc0000 },
    { name: "e5m22fn", E: 5, m: 22, bias: 15, specials: "fn", nanBits: 0x7ffffff },
  ];
  it.each(specs)("$name", (r) => {
    const f = createFloatFormat({
      name: r.name,
      exponentBits: r.E,
      mantissaBits: r.m,
      bias: r.bias,
      specials: r.specials,
      nanBits: r.nanBits,
    });
    const next = seeded(r.m);
    const patterns = Array.from({ length: 5000 }, () => next() % 2 ** f.totalBits);
    const values = patterns.map((b) => f.decode(b));
    const bad: string[] = [];
    patterns.forEach((b, i) => {
      if (!sameValue(values[i]!, refDecode(r, b))) bad.push(`decode 0x${b.toString(16)}`);
    });
    // Around each decoded finite value: the midpoint to its neighbour, and points just off it.
    const probes: number[] = [];
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      const up = f.nextUp(v);
      if (!Number.isFinite(up)) continue;
      const mid = (v + up) / 2;
      probes.push(v, mid, -mid, mid + f.ulp(v) / 1024, mid - f.ulp(v) / 1024, Math.fround(mid));
    }
    const a64 = f.encodeArray(Float64Array.from(probes));
    const a32 = f.encodeArray(Float32Array.from(probes));
    probes.forEach((x, i) => {
      const want = refEncodeByQuantum(r, x);
      if (f.encode(x) !== want) bad.push(`encode(${x})`);
      if (a64[i] !== want) bad.push(`encodeArray64(${x})`);
      const x32 = Math.fround(x);
      if (a32[i] !== refEncodeByQuantum(r, x32)) bad.push(`encodeArray32(${x32})`);
    });
    const finite = values.filter((v) => !Number.isNaN(v));
    expect(Array.from(f.decodeArray(f.encodeArray(Float64Array.from(finite))))).toEqual(finite);
    const nanOut = f.decodeArray(new Uint32Array([r.nanBits]) as never);
    expect(new Uint32Array(nanOut.buffer)[0]).toBe(0x7fc00000);
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe("bad input: errors name the argument and the value", () => {
  it("decode rejects patterns out of range and non-integers", () => {
    expect(() => float16.decode(65536)).toThrow(RangeError);
    expect(() => float16.decode(65536)).toThrow(
      "bits must be an integer bit pattern in 0..0xffff for float16, got 65536",
    );
    expect(() => float8e4m3fn.decode(-1)).toThrow("in 0..0xff for float8_e4m3fn, got -1");
    expect(() => float8e4m3fn.decode(1.5)).toThrow(/got 1.5/);
    expect(() => float16.fieldsFromBits(Number.NaN)).toThrow(/got NaN/);
    // @ts-expect-error a string is not a pattern
    expect(() => float16.decode("0x3c00")).toThrow(TypeError);
  });
  it("encode, explain, ulp and nextUp reject non-numbers", () => {
    // @ts-expect-error bigint
    expect(() => float16.encode(1n)).toThrow("value must be a number, got 1n");
    // @ts-expect-error string
    expect(() => float32.explain("0.1")).toThrow('value must be a number, got "0.1"');
    // @ts-expect-error undefined
    expect(() => float16.ulp()).toThrow(TypeError);
    // @ts-expect-error null
    expect(() => float16.nextUp(null)).toThrow(TypeError);
  });
  it("encodeArray and decodeArray check their arrays", () => {
    // @ts-expect-error a plain array
    expect(() => float16.encodeArray([1, 2])).toThrow(
      "values must be a Float32Array or a Float64Array, got [object Array]",
    );
    expect(() => float16.encodeArray(new Float32Array(3), new Uint16Array(2))).toThrow(
      "out.length must be >= values.length (3), got 2",
    );
    // @ts-expect-error the wrong width
    expect(() => float16.encodeArray(new Float32Array(3), new Uint8Array(3))).toThrow(
      /out must be a Uint16Array/,
    );
    // @ts-expect-error the wrong width
    expect(() => float8e5m2.decodeArray(new Uint16Array(3))).toThrow(/bits must be a Uint8Array/);
    expect(() => float16.decodeArray(new Uint16Array(3), new Float32Array(2))).toThrow(
      /out.length must be >= bits.length/,
    );
    const e3m3 = createFloatFormat<Uint8Array>({ name: "e3m3", exponentBits: 3, mantissaBits: 3 });
    expect(() => e3m3.decodeArray(new Uint8Array([1, 200]))).toThrow(
      "bits[1] must be an integer bit pattern in 0..0x7f for e3m3, got 200",
    );
  });
  it("createFloatFormat validates its spec", () => {
    expect(() => createFloatFormat({ name: "x", exponentBits: 9, mantissaBits: 3 })).toThrow(
      "spec.exponentBits must be an integer in 2..8, got 9",
    );
    expect(() => createFloatFormat({ name: "x", exponentBits: 4, mantissaBits: 0 })).toThrow(
      /spec.mantissaBits/,
    );
    expect(() => createFloatFormat({ name: "x", exponentBits: 8, mantissaBits: 23, bias: 100 })).toThrow(
      /outside float32/,
    );
    expect(() =>
      createFloatFormat({ name: "x", exponentBits: 4, mantissaBits: 3, nanBits: 0x7e, specials: "fn" }),
    ).toThrow(/spec.nanBits must be a NaN pattern/);
    const none = {
      name: "x",
      exponentBits: 4,
      mantissaBits: 3,
      specials: "none",
    } as unknown as FloatFormatSpec;
    expect(() => createFloatFormat(none)).toThrow('spec.specials must be "ieee", "fn" or "fnuz", got "none"');
    expect(() => createFloatFormat({ name: "", exponentBits: 4, mantissaBits: 3 })).toThrow(/spec.name/);
  });
  it("methods survive destructuring", () => {
    const { encode, decode, explain } = float16;
    expect(decode(encode(1.5))).toBe(1.5);
    expect(explain(1).bits).toBe(0x3c00);
    expect(bfloat16.round(1 / 3)).toBe(0.333984375);
    expect(float8e4m3fnuz.round(-1e-9)).toBe(0);
    expect(Object.is(float8e4m3fnuz.round(-1e-9), 0)).toBe(true);
  });
});
