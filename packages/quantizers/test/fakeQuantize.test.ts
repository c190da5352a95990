import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import {
  calculateQParams,
  dequantize,
  fakeQuantize,
  fakeQuantizeBackward,
  fakeQuantizePerChannelAffine,
  fakeQuantizePerTensorAffine,
  fakeQuantizeWithMask,
  type QParams,
  quantize,
  steMask,
} from "../src/index";
import { refCode, refFake, refPairIndex } from "./reference";

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

  it("fakeQuantizePerTensorAffine matches PyTorch's formula, including 32-bit ranges", () => {
    expect(
      Array.from(fakeQuantizePerTensorAffine(new Float32Array([0.3, 0.74, 9, -9]), 0.5, 0, -8, 7)),
    ).toEqual([0.5, 0.5, 3.5, -4]);
    const rng = new Rng(2);
    const x = new Float32Array(5000).map(() => rng.uniform(-1e9, 1e9));
    const y = fakeQuantizePerTensorAffine(x, 3, 17, -2147483648, 2147483647);
    for (let i = 0; i < x.length; i++) {
      const { q } = refCode(x[i]!, 3, 17, -2147483648, 2147483647);
      // per tensor: (q - zp) is converted to float32 before the float32 multiply
      expect(y[i]).toBe(f32(f32(q - 17) * 3));
    }
  });

  it("fakeQuantizePerChannelAffine equals the per-element reference along any axis", () => {
    expect(
      Array.from(
        fakeQuantizePerChannelAffine(
          new Float32Array([0.3, 0.3, 9, 9]),
          [2, 2],
          [0.5, 0.25],
          [0, 0],
          1,
          -8,
          7,
        ),
      ),
    ).toEqual([0.5, 0.25, 3.5, 1.75]);
    const rng = new Rng(4);
    const shape = [3, 5, 70];
    for (const axis of [0, 1, 2, -1]) {
      const a = axis < 0 ? axis + 3 : axis;
      const channels = shape[a]!;
      const scale = Float32Array.from({ length: channels }, () => rng.uniform(0.01, 0.5));
      const zeroPoint = Int32Array.from({ length: channels }, () => rng.int(16));
      const x = new Float32Array(3 * 5 * 70).map(() => rng.uniform(-4, 4));
      const y = fakeQuantizePerChannelAffine(x, shape, scale, zeroPoint, axis, 0, 15);
      for (let e = 0; e < x.length; e++) {
        const p = refPairIndex(e, shape, a, undefined);
        expect(y[e]).toBe(refFake(x[e]!, scale[p]!, zeroPoint[p]!, 0, 15));
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

describe("the straight-through estimator", () => {
  it("masks on the rounded code like PyTorch's cachemask: half a step past the last code still passes", () => {
    const qparams = calculateQParams(-1, 2); // inv = 85, zeroPoint 85: codes cover [-1, 2]
    // 2.005 * 85 = 170.4 -> code 255 (in range); 2.0059 * 85 = 170.50 -> rounds to 171 -> code 256 (out)
    const x = new Float32Array([-1.0058, -1.0059, 0, 2.0058, 2.0059, 5, -5]);
    for (let i = 0; i < x.length; i++)
      expect(refCode(x[i]!, qparams.scale[0]!, 85, 0, 255).inRange).toBe([1, 0, 1, 1, 0, 0, 0][i] === 1);
    expect(Array.from(steMask(x, [x.length], qparams))).toEqual([1, 0, 1, 1, 0, 0, 0]);
    const { output, mask } = fakeQuantizeWithMask(x, [x.length], qparams);
    expect(Array.from(mask)).toEqual([1, 0, 1, 1, 0, 0, 0]);
    expect(sameBits(output, fakeQuantize(x, [x.length], qparams))).toBe(true);
  });

  it("fakeQuantizeWithMask equals the reference (output and mask) per tensor and per channel, both kernels", () => {
    const rng = new Rng(6);
    const x = new Float32Array(30_000).map(() => rng.uniform(-4, 4));
    const channel: QParams = {
      ...perTensor(1, 0, -128, 127),
      scale: Float32Array.of(0.01, 0.02, 0.03),
      zeroPoint: Int32Array.of(-3, 0, 40),
      qscheme: "per_channel_affine",
      axis: 0,
    };
    for (const simd of [true, false]) {
      _setSimdEnabled(simd);
      const t = calculateQParams(-1, 2);
      const a = fakeQuantizeWithMask(x, [x.length], t);
      const c = fakeQuantizeWithMask(x, [3, 10_000], channel);
      let mismatches = 0;
      let masked = 0;
      for (let i = 0; i < x.length; i++) {
        const r = refCode(x[i]!, t.scale[0]!, 85, 0, 255);
        if (a.mask[i] !== (r.inRange ? 1 : 0)) mismatches++;
        if (!Object.is(a.output[i], refFake(x[i]!, t.scale[0]!, 85, 0, 255))) mismatches++;
        const ch = Math.floor(i / 10_000);
        const rc = refCode(x[i]!, channel.scale[ch]!, channel.zeroPoint[ch]!, -128, 127);
        if (c.mask[i] !== (rc.inRange ? 1 : 0)) mismatches++;
        if (!Object.is(c.output[i], refFake(x[i]!, channel.scale[ch]!, channel.zeroPoint[ch]!, -128, 127)))
          mismatches++;
        masked += 1 - a.mask[i]!;
      }
      expect(mismatches).toBe(0);
      expect(masked).toBeGreaterThan(10_000); // both outcomes are exercised
      expect(masked).toBeLessThan(20_000);
    }
  });

  it("fakeQuantizeBackward passes the gradient where the mask is 1 and zeroes it elsewhere (the product, as PyTorch)", () => {
    const grad = new Float32Array([0.5, -1, 2, Number.NaN, -3]);
    const mask = new Uint8Array([1, 0, 1, 0, 0]);
    const dx = fakeQuantizeBackward(grad, mask);
    expect(Array.from(dx)).toEqual([0.5, -0, 2, Number.NaN, -0]);
    const out = new Float32Array(5);
    expect(fakeQuantizeBackward(grad, mask, { out })).toBe(out);
    expect(() => fakeQuantizeBackward(grad, new Uint8Array(4))).toThrow(
      "gradOutput has 5 elements but mask has 4",
    );
  });

  it("the STE gradient is the derivative of the clamp: 1 inside, 0 outside, checked by finite differences of a clamp", () => {
    // fakeQuantize(x) = s * clamp(round(x / s)) ~ clamp(x): the STE treats round as identity, so its
    // gradient is the clamp's derivative. Where the mask is 0, fakeQuantize is flat (constant).
    const qparams = calculateQParams(-1, 2);
    const rng = new Rng(8);
    const x = new Float32Array(2000).map(() => rng.uniform(-3, 4));
    const { output, mask } = fakeQuantizeWithMask(x, [x.length], qparams);
    const h = 0.05;
    const shifted = fakeQuantize(
      x.map((v) => v + h),
      [x.length],
      qparams,
    );
    for (let i = 0; i < x.length; i++) {
      if (mask[i] === 0) {
        // outside: output pinned to an end of the range and stays there
        expect(output[i] === -1 || output[i] === 2).toBe(true);
        if (x[i]! > 2.1 || x[i]! < -1.1 - h) expect(shifted[i]).toBe(output[i]);
      } else if (x[i]! > -0.9 && x[i]! < 1.9) {
        // inside: the secant slope over several steps is close to 1
        expect(Math.abs((shifted[i]! - output[i]!) / h - 1)).toBeLessThan(0.25);
      }
    }
  });
});
