import { Rng } from "@quantkit/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { _setSimdEnabled } from "../src/_simd";
import { calculateQParams, fakeQuantize, fakeQuantizeWithMask, type QParams } from "../src/index";
import { nonFiniteInputs } from "./_nonFinite";
import { refCode, refFake } from "./reference";

afterEach(() => {
  _setSimdEnabled(true);
});

const u8: QParams = calculateQParams(-1, 2);

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

describe("bad input gets a clear error, never a silent NaN", () => {
  it("bad names, stochastic rounding without an rng, a wrong out array", () => {
    const x = new Float32Array(2);
    expect(() => fakeQuantizeWithMask(x, [2], u8, { mask: new Uint8Array(1) })).toThrow(
      /options.mask must be a Uint8Array of length 2/,
    );
  });
});

describe("the straight-through estimator", () => {
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

describe("bad input gets a clear error, never a silent NaN", () => {
  it("NaN and ±Infinity in x name the argument and the first bad index, on every path", () => {
    for (const { y, message } of nonFiniteInputs()) {
      for (const simd of [true, false]) {
        _setSimdEnabled(simd);
        expect(() => fakeQuantizeWithMask(y, [y.length], u8)).toThrow(message);
      }
    }
  });
});
