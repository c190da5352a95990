import { describe, expect, it } from "vitest";
import { assertDType, calculateQRange, DTYPES, dtypeForBits, rangeForBits } from "../src/index";

describe("bad input gets a clear error, never a silent NaN", () => {
  it("bits out of 1..16 and quantMin >= quantMax", () => {
    expect(() => rangeForBits(0, false)).toThrow("bits must be an integer in 1..16, got 0");
    expect(() => rangeForBits(17, true)).toThrow("bits must be an integer in 1..16, got 17");
  });
});

describe("calculateQParams rejects what float32 cannot hold (item 3)", () => {
  it("a custom range must suit the dtype: quint8 0..300 and qint8 0..255 are errors; wider whole bit widths pass", () => {
    expect(() => calculateQRange("quint8", { quantMin: 0, quantMax: 300 })).toThrow(
      /does not suit dtype quint8/,
    );
    expect(() => calculateQRange("qint8", { quantMin: 0, quantMax: 255 })).toThrow(
      /does not suit dtype qint8/,
    );
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 65535 })).toEqual({
      quantMin: 0,
      quantMax: 65535,
    });
    expect(calculateQRange("qint8", { quantMin: -32767, quantMax: 32767 })).toEqual({
      quantMin: -32767,
      quantMax: 32767,
    });
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 100 })).toEqual({ quantMin: 0, quantMax: 100 });
  });
});

describe("a value of the wrong type is shown as what it is (item 18)", () => {
  it('bits: "8" reads got "8", not got 8', () => {
    expect(() => rangeForBits("8" as never, false)).toThrow('bits must be an integer in 1..16, got "8"');
    expect(() => calculateQRange("quint8", { quantMin: "0" as never, quantMax: 255 })).toThrow(
      'quantMin must be an integer, got "0"',
    );
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  it.each([
    ["calculateQRange", () => calculateQRange("quint8", { reduce: true } as never)],
    ["rangeForBits", () => rangeForBits(4, true, { narrow: true } as never)],
  ])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});

describe("calculateQRange follows PyTorch's calculate_qmin_qmax", () => {
  it("gives the dtype ranges, halves them with reduceRange, keeps custom ranges", () => {
    expect(calculateQRange("quint8")).toEqual({ quantMin: 0, quantMax: 255 });
    expect(calculateQRange("qint8")).toEqual({ quantMin: -128, quantMax: 127 });
    expect(calculateQRange("quint8", { reduceRange: true })).toEqual({ quantMin: 0, quantMax: 127 });
    expect(calculateQRange("qint8", { reduceRange: true })).toEqual({ quantMin: -64, quantMax: 63 });
    expect(calculateQRange("qint4")).toEqual({ quantMin: -8, quantMax: 7 });
    expect(calculateQRange("quint8", { quantMin: 0, quantMax: 15 })).toEqual({ quantMin: 0, quantMax: 15 });
    expect(rangeForBits(8, true, { narrowRange: true })).toEqual({ quantMin: -127, quantMax: 127 });
  });
  it("rejects bad custom ranges with the values in the message", () => {
    expect(() => calculateQRange("quint8", { quantMin: 3, quantMax: 3 })).toThrow(/quantMin=3, quantMax=3/);
    expect(() => calculateQRange("quint8", { quantMin: 1, quantMax: 9 })).toThrow(/must include 0/);
    expect(() => calculateQRange("quint8", { quantMin: 0, quantMax: 70000 })).toThrow(/65536/);
    expect(() => calculateQRange("quint8", { quantMin: 0 })).toThrow(/go together/);
    expect(() => rangeForBits(17, false)).toThrow(/bits must be an integer in 1..16, got 17/);
    // @ts-expect-error a dtype PyTorch does not have
    expect(() => calculateQRange("uint8")).toThrow(/dtype must be one of/);
  });
});

describe("dtypes and bit widths", () => {
  it("DTYPES holds each dtype's two's complement or unsigned range, 2^(bits - 1) around 0 when signed", () => {
    for (const [name, d] of Object.entries(DTYPES)) {
      const want = d.signed ? [-(2 ** (d.bits - 1)), 2 ** (d.bits - 1) - 1] : [0, 2 ** d.bits - 1];
      expect([name, d.quantMin, d.quantMax]).toEqual([name, ...want]);
      expect(dtypeForBits(d.bits, d.signed)).toBe(name);
    }
    expect(Object.keys(DTYPES)).toEqual(["quint8", "qint8", "qint32", "quint4", "qint4", "quint2", "qint2"]);
    expect(dtypeForBits(3, true)).toBeUndefined();
    expect(dtypeForBits(16, false)).toBeUndefined();
  });

  it("rangeForBits: the full range for every width, narrowRange drops the most negative code", () => {
    for (let bits = 1; bits <= 16; bits++) {
      expect(rangeForBits(bits, false)).toEqual({ quantMin: 0, quantMax: 2 ** bits - 1 });
      expect(rangeForBits(bits, true)).toEqual({
        quantMin: -(2 ** (bits - 1)),
        quantMax: 2 ** (bits - 1) - 1,
      });
      if (bits >= 2)
        expect(rangeForBits(bits, true, { narrowRange: true })).toEqual({
          quantMin: -(2 ** (bits - 1)) + 1,
          quantMax: 2 ** (bits - 1) - 1,
        });
    }
    expect(rangeForBits(8, true, { narrowRange: true })).toEqual({ quantMin: -127, quantMax: 127 });
    expect(() => rangeForBits(1, true, { narrowRange: true })).toThrow(
      "narrowRange needs at least 2 bits, got 1",
    );
  });

  it("assertDType accepts the seven names and names the argument and the value otherwise", () => {
    for (const name of Object.keys(DTYPES)) expect(() => assertDType(name)).not.toThrow();
    expect(() => assertDType("int8")).toThrow(
      'dtype must be one of quint8, qint8, qint32, quint4, qint4, quint2, qint2; got "int8"',
    );
    expect(() => assertDType(8, "options.dtype")).toThrow(/^options\.dtype must be one of .*; got 8$/);
    expect(() => assertDType(undefined)).toThrow(TypeError);
  });
});
