import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { calculateQParams, dequantize, fakeQuantize, type QParams, quantize } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refFake, refPairIndex } from "./reference";

const f32 = Math.fround;

afterEach(() => {
  _setSimdEnabled(true);
});

function perTensor(scale: number, zeroPoint: number, quantMin = 0, quantMax = 255): QParams {
  return {
    scale: Float32Array.of(scale),
    zeroPoint: Int32Array.of(zeroPoint),
    quantMin,
    quantMax,
    qscheme: "per_tensor_affine",
    dtype: quantMin < 0 ? "qint8" : "quint8",
  };
}

const sameBits = (a: Float32Array, b: Float32Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

const u8: QParams = calculateQParams(-1, 2);

const x = new Float32Array([-1, 0, 0.5, 2]);

describe("fakeQuantize", () => {
  it("is dequantize(quantize(x)) bit for bit, and the reference formula, on both kernels", () => {
    const rng = new Rng(1);
    const x = new Float32Array(40_000).map(() => rng.uniform(-3, 3));
    x[5] = -0;
    x[6] = -1e-9; // rounds to code zeroPoint: the output is +0, as PyTorch's integer arithmetic gives
    for (const simd of [true, false]) {
      _setSimdEnabled(simd);
      for (const qparams of [
        calculateQParams(-1, 2),
        calculateQParams(-2, 2, { dtype: "qint8", qscheme: "per_tensor_symmetric" }),
      ]) {
        const y = fakeQuantize(x, [x.length], qparams);
        expect(sameBits(y, dequantize(quantize(x, [x.length], qparams), [x.length], qparams))).toBe(true);
        const s = qparams.scale[0]!;
        const z = qparams.zeroPoint[0]!;
        for (let i = 0; i < x.length; i += 97)
          expect(Object.is(y[i], refFake(x[i]!, s, z, qparams.quantMin, qparams.quantMax))).toBe(true);
        expect(Object.is(y[6], 0)).toBe(true);
      }
    }
  });

  it("writes into options.out, which may be x itself", () => {
    const x = new Float32Array([0.1, 0.52, 1.9]);
    const expected = fakeQuantize(x, [3], calculateQParams(-1, 2));
    const out = fakeQuantize(x, [3], calculateQParams(-1, 2), { out: x });
    expect(out).toBe(x);
    expect(out).toEqual(expected);
  });
});

describe("fake-quant properties (fast-check)", () => {
  const qparamsArb = fc
    .record({
      scale: fc.float({ min: f32(1e-3), max: 10, noNaN: true }),
      bits: fc.integer({ min: 2, max: 8 }),
      signed: fc.boolean(),
      zeroFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ scale, bits, signed, zeroFraction }) => {
      const quantMin = signed ? -(2 ** (bits - 1)) : 0;
      const quantMax = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      const zeroPoint = quantMin + Math.floor(zeroFraction * (quantMax - quantMin));
      return perTensor(scale, zeroPoint, quantMin, quantMax);
    });

  it("|x - fakeQuantize(x)| <= scale / 2 (plus float32 rounding) inside the representable range", () => {
    fc.assert(
      fc.property(
        qparamsArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (qparams, us) => {
          const s = f32(qparams.scale[0]!);
          const z = qparams.zeroPoint[0]!;
          const lo = (qparams.quantMin - z) * s;
          const hi = (qparams.quantMax - z) * s;
          const x = Float32Array.from(us, (u) => lo + u * (hi - lo));
          const y = fakeQuantize(x, [x.length], qparams);
          for (let i = 0; i < x.length; i++) {
            const bound = (s / 2) * (1 + 2 ** -20) + Math.abs(x[i]!) * 2 ** -22;
            if (!(Math.abs(x[i]! - y[i]!) <= bound)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 21 },
    );
  });

  it("is idempotent: fakeQuantize(fakeQuantize(x)) === fakeQuantize(x) bit for bit", () => {
    fc.assert(
      fc.property(
        qparamsArb,
        fc.float32Array({ minLength: 1, maxLength: 400, noNaN: true, noDefaultInfinity: true }),
        (qparams, x) => {
          const y = fakeQuantize(x, [x.length], qparams);
          return sameBits(fakeQuantize(y, [y.length], qparams), y);
        },
      ),
      { numRuns: 200, seed: 22 },
    );
  });

  it("per channel equals per tensor applied channel by channel (any axis)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.integer({ min: 1, max: 1_000_000 }),
        (shape, axisSeed, seed) => {
          const rng = new Rng(seed);
          const axis = axisSeed % shape.length;
          const channels = shape[axis]!;
          const n = shape.reduce((a, b) => a * b, 1);
          const x = new Float32Array(n).map(() => rng.uniform(-10, 10));
          const scale = Float32Array.from({ length: channels }, () => rng.uniform(0.01, 1));
          const zeroPoint = Int32Array.from({ length: channels }, () => rng.int(256) - 128);
          const qparams: QParams = {
            ...perTensor(1, 0, -128, 127),
            scale,
            zeroPoint,
            qscheme: "per_channel_affine",
            axis,
          };
          const y = fakeQuantize(x, shape, qparams);
          const codes = quantize(x, shape, qparams);
          for (let c = 0; c < channels; c++) {
            // gather channel c, fake-quantize it per tensor, compare element by element
            const idx: number[] = [];
            for (let e = 0; e < n; e++) if (refPairIndex(e, shape, axis, undefined) === c) idx.push(e);
            const xc = Float32Array.from(idx, (e) => x[e]!);
            const single = perTensor(scale[c]!, zeroPoint[c]!, -128, 127);
            const yc = fakeQuantize(xc, [xc.length], single);
            const qc = quantize(xc, [xc.length], single);
            for (let k = 0; k < idx.length; k++) {
              if (!Object.is(yc[k], y[idx[k]!]) || qc[k] !== codes[idx[k]!]) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 100, seed: 23 },
    );
  });

  it("per group with groupSize = axis length equals per channel (2-D [out, in]: groups along in = one pair per row)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (rows, cols, seed) => {
          const rng = new Rng(seed);
          const x = new Float32Array(rows * cols).map(() => rng.uniform(-5, 5));
          const scale = Float32Array.from({ length: rows }, () => rng.uniform(0.01, 1));
          const zeroPoint = Int32Array.from({ length: rows }, () => rng.int(16));
          const base = {
            ...perTensor(1, 0, 0, 15),
            scale,
            zeroPoint,
            qscheme: "per_channel_affine" as const,
          };
          const grouped = { ...base, axis: 1, groupSize: cols };
          const channel = { ...base, axis: 0 };
          return (
            sameBits(fakeQuantize(x, [rows, cols], grouped), fakeQuantize(x, [rows, cols], channel)) &&
            quantize(x, [rows, cols], grouped).every((q, i) => q === quantize(x, [rows, cols], channel)[i])
          );
        },
      ),
      { numRuns: 100, seed: 24 },
    );
  });

  it("per group with groupSize 1 gives every element its own pair", () => {
    const x = new Float32Array([0.3, -0.3, 0.9, 1.6]);
    const qparams: QParams = {
      ...perTensor(1, 0, -8, 7),
      scale: new Float32Array([0.1, 0.2, 0.3, 0.4]),
      zeroPoint: new Int32Array([0, 1, 2, 3]),
      qscheme: "per_channel_affine",
      axis: 0,
      groupSize: 1,
    };
    // -0.3 * float32(1 / float32(0.2)) = -1.50000006 -> -2, + zeroPoint 1 = -1
    expect(Array.from(quantize(x, [4], qparams))).toEqual([3, -1, 5, 7]);
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("bad names, stochastic rounding without an rng, a wrong out array", () => {
    const x = new Float32Array(2);
    expect(() => fakeQuantize(x, [2], u8, { out: new Float32Array(3) })).toThrow(
      /options.out must be a Float32Array of length 2/,
    );
  });

  it("never returns NaN for finite input: a constant tensor gets scale eps and exact zeros", () => {
    const x = new Float32Array(300).fill(0);
    const qparams = calculateQParams(0, 0);
    const y = fakeQuantize(x, [300], qparams);
    expect(y.every((v) => Object.is(v, 0))).toBe(true);
    const c = new Float32Array(300).fill(3e38);
    expect(fakeQuantize(c, [300], qparams).every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe("calculateQParams rejects what float32 cannot hold (item 3)", () => {
  it("quantize, fakeQuantize and steMask refuse qparams whose range does not suit their dtype", () => {
    const bad: QParams = {
      scale: new Float32Array([0.01]),
      zeroPoint: new Int32Array([0]),
      quantMin: 0,
      quantMax: 300,
      qscheme: "per_tensor_affine",
      dtype: "quint8",
    };
    expect(() => fakeQuantize(x, [4], bad)).toThrow(/does not suit dtype quint8/);
  });
});

describe("options objects reject unknown keys (item 8)", () => {
  const qparams = calculateQParams(-1, 2);
  it.each([
    ["fakeQuantize", () => fakeQuantize(x, [4], qparams, { rounding: "half_to_even", seed: 1 } as never)],
  ])("%s", (name, call) => {
    expect(call).toThrow(new RegExp(`${name} options has an unknown key`));
  });
});

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => fakeQuantize(y, [y.length], u8)).toThrow(message);
      }
    }
  });
});
