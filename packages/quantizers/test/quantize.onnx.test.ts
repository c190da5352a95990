import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type QParams, quantize, quantizePerChannel, quantizePerTensor } from "../src/index";
import { refCodeOnnx, refRoundHalfAwayFromZero } from "./reference";

const f32 = Math.fround;

function perTensor(scale: number, zeroPoint: number, quantMin = 0, quantMax = 255): QParams {
  return {
    scale: Float32Array.of(scale),
    zeroPoint: Int32Array.of(zeroPoint),
    quantMin,
    quantMax,
    qscheme: "per_tensor_affine",
    dtype: quantMin < 0 ? (quantMax > 32767 ? "qint32" : "qint8") : "quint8",
  };
}

/** A float32 scale m * 2^e with an odd significand m of at most 12 bits, so (k + 0.5) * scale is a float32. */
function shortScale(rng: Rng): number {
  const m = 2 * Math.floor(rng.next() * 2047) + 3;
  const e = -12 + Math.floor(rng.next() * 8);
  return m * 2 ** e;
}

describe('quantize(..., { arithmetic: "onnx" }) divides like ONNX QuantizeLinear', () => {
  it("fbgemm's example: x * inv is exactly 127.5 (PyTorch: 128), x / scale is 127.49999 (ONNX: 127)", () => {
    const scale = f32(0.00214854861);
    const x = Float32Array.of(f32(0.273939937));
    expect(quantizePerTensor(x, scale, 0, "quint8")[0]).toBe(128);
    expect(quantizePerTensor(x, scale, 0, "quint8", { arithmetic: "onnx" })[0]).toBe(127);
    expect(quantize(x, [1], perTensor(scale, 0), { arithmetic: "onnx" })[0]).toBe(127);
    expect(quantize(x, [1], perTensor(scale, 0), { arithmetic: "pytorch" })[0]).toBe(128);
  });

  it("exact ties of x / scale round to even where PyTorch's float32 x * inv lands off the tie (constructed)", () => {
    // x = (k + 0.5) * scale exactly (a float32 because scale has a short significand): x / scale is the
    // tie k + 0.5, so ONNX gives the even neighbour; float32(x * float32(1 / scale)) is often one ulp off.
    const rng = new Rng(7);
    let differ = 0;
    for (let trial = 0; trial < 20000 && differ < 40; trial++) {
      const scale = shortScale(rng);
      const k = Math.floor(rng.next() * 120);
      const x = (k + 0.5) * scale;
      expect(f32(x)).toBe(x);
      const even = k % 2 === 0 ? k : k + 1;
      const zp = Math.floor(rng.next() * 8);
      const xs = Float32Array.of(x);
      const onnx = quantizePerTensor(xs, scale, zp, "quint8", { arithmetic: "onnx" })[0]!;
      expect(onnx).toBe(Math.min(zp + even, 255));
      const product = f32(x * f32(1 / scale));
      if (product === k + 0.5 || zp + even > 255) continue;
      const pytorch = quantizePerTensor(xs, scale, zp, "quint8")[0]!;
      expect(pytorch).toBe(zp + (product > k + 0.5 ? k + 1 : k));
      if (pytorch !== onnx) differ++;
    }
    expect(differ).toBe(40);
  });

  it("exact ties of PyTorch's x * inv that are not ties of x / scale: ONNX takes the side of the exact quotient (constructed)", () => {
    const rng = new Rng(11);
    let differ = 0;
    for (let trial = 0; trial < 200000 && differ < 40; trial++) {
      const scale = f32(1e-3 + rng.next() * 0.05);
      const inv = f32(1 / scale);
      const k = Math.floor(rng.next() * 100);
      const x0 = f32((k + 0.5) * scale);
      for (const step of [-1, 0, 1]) {
        const x = f32(x0 * (1 + step * 2 ** -24));
        if (f32(x * inv) !== k + 0.5) continue; // PyTorch sees the tie
        if (f32(x / scale) === k + 0.5) continue; // so does ONNX: not a case that separates them
        // Which side of the tie the exact quotient lies: 2x vs (2k + 1) * scale, both exact in double.
        const below = 2 * x < (2 * k + 1) * scale;
        const onnx = quantizePerTensor(Float32Array.of(x), scale, 0, "quint8", { arithmetic: "onnx" })[0];
        expect(onnx).toBe(below ? k : k + 1);
        const pytorch = quantizePerTensor(Float32Array.of(x), scale, 0, "quint8")[0];
        expect(pytorch).toBe(k % 2 === 0 ? k : k + 1);
        if (onnx !== pytorch) differ++;
      }
    }
    expect(differ).toBe(40);
  });

  it("adds the zero point as an exact integer for qint32 (PyTorch rounds zeroPoint + r to float32)", () => {
    const x = Float32Array.of(2 ** 25);
    const qparams = perTensor(1, 3, -2147483648, 2147483647);
    expect(quantize(x, [1], qparams, { arithmetic: "onnx" })[0]).toBe(2 ** 25 + 3);
    expect(quantize(x, [1], qparams)[0]).toBe(2 ** 25 + 4); // float32(2^25 + 3)
  });

  it("equals the reference on random float32 inputs: per tensor, every dtype's range, both roundings (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 1, maxLength: 600, noNaN: true, noDefaultInfinity: true }),
        fc.float({ min: f32(1e-6), max: 10, noNaN: true }),
        fc.constantFrom([0, 255], [-128, 127], [-8, 7], [0, 65535]),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (x, scale, [quantMin, quantMax], zpSeed, awayFromZero) => {
          const zp = quantMin! + (zpSeed % (quantMax! - quantMin! + 1));
          const qparams = { ...perTensor(scale, zp, quantMin, quantMax), dtype: "quint8" as const };
          if (quantMin! < 0) (qparams as QParams).dtype = quantMin === -8 ? "qint4" : "qint8";
          if (quantMax === 65535) qparams.dtype = "quint8";
          const round = awayFromZero ? refRoundHalfAwayFromZero : undefined;
          const codes = quantize(x, [x.length], qparams, {
            arithmetic: "onnx",
            rounding: awayFromZero ? "half_away_from_zero" : "half_to_even",
          });
          for (let i = 0; i < x.length; i++) {
            expect(codes[i]).toBe(refCodeOnnx(x[i]!, scale, zp, quantMin!, quantMax!, round));
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it("per channel: channel c divides by its own scale, ties of x / scale to even (axis 1 and the last axis)", () => {
    const rng = new Rng(3);
    const scales = Float32Array.of(3 * 2 ** -8, 5 * 2 ** -9, 1533 * 2 ** -12, 7 * 2 ** -10);
    const zps = Int32Array.of(0, 1, -2, 3);
    for (const [shape, axis] of [
      [[3, 4, 5], 1],
      [[6, 4], 1],
    ] as const) {
      const n = shape.reduce((a, b) => a * b, 1);
      const inner = axis === shape.length - 1 ? 1 : shape[2]!;
      const channel = (i: number) => Math.floor(i / inner) % 4;
      // Even elements sit exactly on a tie k + 0.5 of x / scale, odd ones anywhere.
      const x = new Float32Array(n).map((_, i) =>
        i % 2 === 0 ? (Math.floor(rng.next() * 40) - 20 + 0.5) * scales[channel(i)]! : (rng.next() - 0.5) * 4,
      );
      const codes = quantizePerChannel(x, shape, scales, zps, axis, "qint8", { arithmetic: "onnx" });
      for (let i = 0; i < n; i++) {
        const c = channel(i);
        const want = refCodeOnnx(x[i]!, scales[c]!, zps[c]!, -128, 127);
        expect(codes[i]).toBe(want);
        if (i % 2 === 0) expect(Math.abs((want - zps[c]!) % 2)).toBe(0); // the even neighbour of the tie
      }
    }
  });

  it("rejects an unknown arithmetic and unknown option keys, naming them", () => {
    const x = Float32Array.of(1);
    expect(() => quantize(x, [1], perTensor(1, 0), { arithmetic: "numpy" as "onnx" })).toThrow(
      /options\.arithmetic must be "pytorch" or "onnx", got "numpy"/,
    );
    expect(() => quantize(x, [1], perTensor(1, 0), { arithmetc: "onnx" } as object)).toThrow(
      /options has an unknown key "arithmetc"/,
    );
    expect(() => quantizePerTensor(x, 1, 0, "quint8", { axis: 0 } as object)).toThrow(
      /options has an unknown key "axis"/,
    );
  });
});
