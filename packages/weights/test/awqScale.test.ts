import { describe, expect, it } from "vitest";
import { awq, awqScale, quantizeBlockwise } from "../src/index";
import { correlatedActivations, outputMse } from "./_activations";
import { gaussian } from "./_gaussian";

describe("awqScale", () => {
  const K = 64;
  const x = correlatedActivations(11, K).sample(200); // rows > K: the Gram-matrix path
  const w1 = gaussian(12, 16 * K, 0.1);
  const w2 = gaussian(13, 8 * K, 0.2);

  it("on one layer, the scale and alpha of awq's own search", () => {
    const a = awq(w1, [16, K], x, { clip: false });
    const s = awqScale([{ weight: w1, shape: [16, K] }], x);
    expect(s.inputScale).toEqual(a.inputScale);
    expect(s.alpha).toBe(a.alpha);
    expect(s.losses).toEqual(a.losses);
  });

  it("on layers sharing an input, the loss is the output MSE over all their outputs (alpha 0: RTN's)", () => {
    const s = awqScale(
      [
        { weight: w1, shape: [16, K] },
        { weight: w2, shape: [8, K] },
      ],
      x,
    );
    const m1 = outputMse(x, w1, quantizeBlockwise(w1, [16, K]).dequantized, 16, K);
    const m2 = outputMse(x, w2, quantizeBlockwise(w2, [8, K]).dequantized, 8, K);
    expect(Math.abs(s.losses[0]! - (16 * m1 + 8 * m2) / 24) / s.losses[0]!).toBeLessThan(1e-9);
    expect(s.losses[20 * s.alpha]).toBe(Math.min(...s.losses));
    const mean = new Float64Array(K);
    for (let i = 0; i < x.length; i++) mean[i % K]! += Math.abs(x[i]!) / 200;
    expect(Array.from(s.activationMean).every((v, k) => Math.abs(v - mean[k]!) < 1e-9 * mean[k]!)).toBe(true);
  });

  it("duoScaling: alpha 0 gives s = 1 / (wMean + 1e-4) normalised, wMean the mean of |w| / block max|w|", () => {
    const s = awqScale([{ weight: w1, shape: [16, K] }], x, { nGrid: 1, duoScaling: true });
    const wMean = new Float64Array(K);
    for (let n = 0; n < 16; n++) {
      for (let b = 0; b < K; b += 32) {
        let max = 0;
        for (let k = b; k < b + 32; k++) max = Math.max(max, Math.abs(w1[n * K + k]!));
        for (let k = b; k < b + 32; k++) wMean[k]! += Math.abs(w1[n * K + k]!) / (max + 1e-6) / 16;
      }
    }
    const raw = Array.from(wMean, (m) => 1 / (m + 1e-4));
    const norm = Math.sqrt(Math.max(...raw) * Math.min(...raw));
    raw.forEach((v, k) => {
      expect(s.inputScale[k]!).toBeCloseTo(v / norm, 5);
    });
  });

  it("rejects layers of different K, an empty list and unknown options", () => {
    expect(() =>
      awqScale(
        [
          { weight: w1, shape: [16, K] },
          { weight: new Float32Array(32 * 2), shape: [2, 32] },
        ],
        x,
      ),
    ).toThrow("awqScale: layers[1] has K = 32, layers[0] has K = 64");
    expect(() => awqScale([], x)).toThrow("awqScale: layers must be a non-empty array");
    expect(() => awqScale([{ weight: w1, shape: [16, K] }], x, { clip: true } as never)).toThrow(
      'awqScale: unknown option "clip"',
    );
  });
});
