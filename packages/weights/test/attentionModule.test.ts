import { transpose2d } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { attentionModule, awq, awqScale, quantizeBlockwise } from "../src/index";
import { correlatedActivations } from "./_activations";
import { gaussian } from "./_gaussian";

/** Causal additive mask [T, T]: `above` where the key comes after the query, 0 elsewhere. */
function causal(T: number, above = Number.NEGATIVE_INFINITY): Float32Array {
  return Float32Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? above : 0));
}

/** The slow direct reference: per sequence, head and query, plain arrays; weights [N, K]. */
function slowAttention(
  x: Float32Array,
  K: number,
  T: number,
  heads: number,
  w: Float32Array[],
  b: (Float32Array | undefined)[],
  mask: Float32Array,
  wo: Float32Array | null,
  No: number,
): number[] {
  const rows = x.length / K;
  const proj = (i: number) => {
    const N = w[i]!.length / K;
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: N }, (_, n) => {
        let s = b[i]?.[n] ?? 0;
        for (let k = 0; k < K; k++) s += x[r * K + k]! * w[i]![n * K + k]!;
        return s;
      }),
    );
  };
  const [q, k, v] = [proj(0), proj(1), proj(2)];
  const hd = q[0]!.length / heads;
  const hv = v[0]!.length / heads;
  const att: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const seq = Math.floor(r / T) * T;
    const i = r - seq;
    const row: number[] = [];
    for (let h = 0; h < heads; h++) {
      const scores: number[] = [];
      for (let j = 0; j < T; j++) {
        let dot = 0;
        for (let d = 0; d < hd; d++) dot += q[r]![h * hd + d]! * k[seq + j]![h * hd + d]!;
        scores.push(dot / Math.sqrt(hd) + mask[i * T + j]!);
      }
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, c) => a + c, 0);
      for (let d = 0; d < hv; d++) row.push(e.reduce((a, p, j) => a + (p / z) * v[seq + j]![h * hv + d]!, 0));
    }
    att.push(row);
  }
  if (wo === null) return att.flat();
  const Ko = att[0]!.length;
  return att.flatMap((a) =>
    Array.from({ length: No }, (_, n) => a.reduce((s, av, c) => s + av * wo[n * Ko + c]!, 0)),
  );
}

describe("attentionModule", () => {
  it("known answer: one head, two tokens, causal", () => {
    const x = Float32Array.from([1, 0, 0, 1]);
    const eye = Float32Array.from([1, 0, 0, 1]);
    const wv = Float32Array.from([1, 2, 3, 4]); // v_r = wv x_r: v0 = [1, 3], v1 = [2, 4]
    const y = attentionModule({ heads: 1, sequenceLength: 2, mask: causal(2) }).forward(x, 2, [eye, eye, wv]);
    // Token 0 sees only itself; token 1 has scores 0 (key 0) and 1 / sqrt(2) (key 1).
    const p1 = Math.exp(Math.SQRT1_2) / (1 + Math.exp(Math.SQRT1_2));
    const want = [1, 3, (1 - p1) * 1 + p1 * 2, (1 - p1) * 3 + p1 * 4];
    Array.from(y).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 12);
    });
  });

  it("equals a slow direct reference: heads, biases, a finite causal mask, the output projection, both layouts", () => {
    const K = 24;
    const T = 5;
    const heads = 3;
    const x = gaussian(1, 4 * T * K);
    const w = [gaussian(2, 12 * K, 0.3), gaussian(3, 12 * K, 0.3), gaussian(4, 18 * K, 0.3)];
    const b = [gaussian(5, 12), undefined, gaussian(6, 18)];
    const wo = gaussian(7, 10 * 18, 0.3);
    const mask = causal(T, -1e4);
    const want = slowAttention(x, K, T, heads, w, b, mask, wo, 10);
    const output = { weight: wo, shape: [10, 18] as const };
    const bias = [b[0], b[1], b[2]] as const;
    const nk = attentionModule({ heads, sequenceLength: T, mask, bias, output }).forward(x, 4 * T, w);
    const kn = attentionModule({
      heads,
      sequenceLength: T,
      mask,
      bias,
      layout: "KN",
      output: { weight: transpose2d(wo, 10, 18), shape: [18, 10] },
    }).forward(x, 4 * T, [transpose2d(w[0]!, 12, K), transpose2d(w[1]!, 12, K), transpose2d(w[2]!, 18, K)]);
    expect(nk.length).toBe(4 * T * 10);
    for (let i = 0; i < want.length; i++) {
      expect(Math.abs(nk[i]! - want[i]!)).toBeLessThan(1e-9);
      expect(kn[i]).toBe(nk[i]);
    }
    // Without the output projection: the heads' outputs concatenated.
    const heads18 = attentionModule({ heads, sequenceLength: T, mask, bias }).forward(x, 4 * T, w);
    const want18 = slowAttention(x, K, T, heads, w, b, mask, null, 0);
    want18.forEach((v, i) => {
      expect(Math.abs(heads18[i]! - v)).toBeLessThan(1e-9);
    });
  });

  it("equals the slow reference where keys and value columns do not fill the blocked loops (7 keys, 11 columns a head)", () => {
    const K = 16;
    const T = 7;
    const heads = 2;
    const x = gaussian(11, 3 * T * K);
    const w = [gaussian(12, 12 * K, 0.3), gaussian(13, 12 * K, 0.3), gaussian(14, 22 * K, 0.3)];
    const none = [undefined, undefined, undefined];
    for (const mask of [causal(T), new Float32Array(T * T)]) {
      const given = mask.some((m) => m !== 0) ? { mask } : {};
      const got = attentionModule({ heads, sequenceLength: T, ...given }).forward(x, 3 * T, w);
      const want = slowAttention(x, K, T, heads, w, none, mask, null, 0);
      expect(got.length).toBe(want.length);
      want.forEach((v, i) => {
        expect(Math.abs(got[i]! - v)).toBeLessThan(1e-9);
      });
    }
  });

  it("rejects bad options: unknown keys, heads not dividing q, a mask of the wrong size or a row of -Infinity", () => {
    const x = gaussian(8, 4 * 8);
    const w = gaussian(9, 8 * 8);
    expect(() => attentionModule({ heads: 2, sequenceLength: 4, causal: true } as never)).toThrow(/causal/);
    expect(() => attentionModule({ heads: 3, sequenceLength: 4 }).forward(x, 4, [w, w, w])).toThrow(
      /heads = 3/,
    );
    expect(() => attentionModule({ heads: 2, sequenceLength: 4, mask: new Float32Array(9) })).toThrow(
      /4 x 4/,
    );
    const bad = causal(4);
    bad[0] = Number.NEGATIVE_INFINITY;
    expect(() => attentionModule({ heads: 2, sequenceLength: 4, mask: bad })).toThrow(/row 0/);
    expect(() => attentionModule({ heads: 2, sequenceLength: 3 }).forward(x, 4, [w, w, w])).toThrow(
      /sequences of 3/,
    );
  });
});

describe("awqScale through an attention module", () => {
  const K = 64;
  const T = 16;
  const heads = 4;
  const mask = causal(T);
  const module = attentionModule({
    heads,
    sequenceLength: T,
    mask,
    output: { weight: gaussian(20, K * K, 0.1), shape: [K, K] },
  });
  const rows = 8 * T;

  it("losses[i] is the module's output MSE with the layers fake-quantized at alpha i / nGrid", () => {
    const x = correlatedActivations(21, K).sample(rows);
    const w = [gaussian(22, K * K, 0.1), gaussian(23, K * K, 0.1), gaussian(24, K * K, 0.1)];
    const layers = w.map((weight) => ({ weight, shape: [K, K] as const }));
    const s = awqScale(layers, x, { module, nGrid: 10 });
    const reference = module.forward(x, rows, w);
    const mse = (ws: Float32Array[]) => {
      const y = module.forward(x, rows, ws);
      return y.reduce((a, v, i) => a + (v - reference[i]!) ** 2, 0) / y.length;
    };
    // alpha 0: s = 1, the layers are plain RTN.
    const rtn = mse(w.map((v) => quantizeBlockwise(v, [K, K]).dequantized));
    expect(Math.abs(s.losses[0]! - rtn) / rtn).toBeLessThan(1e-6);
    const chosen = mse(
      w.map((v) => awq(v, [K, K], x, { inputScale: s.inputScale, clip: false }).equivalentWeight),
    );
    expect(Math.abs(s.losses[Math.round(s.alpha * 10)]! - chosen) / chosen).toBeLessThan(1e-6);
    expect(s.losses[Math.round(s.alpha * 10)]).toBe(Math.min(...s.losses));
  });

  it("picks alpha 0 (s = 1) when the weights lie on the 4-bit grid: scaling cannot help", () => {
    const x = correlatedActivations(25, K).sample(rows);
    // Codes 0..15 around zero point 8 with step 1/16, each block holding both ends: RTN is exact.
    const onGrid = (seed: number) => {
      const g = gaussian(seed, K * K);
      return Float32Array.from(g, (v, i) => {
        const c = i % 32 === 0 ? 0 : i % 32 === 1 ? 15 : Math.min(15, Math.max(0, Math.round(8 + 3 * v)));
        return (c - 8) / 16;
      });
    };
    const layers = [26, 27, 28].map((seed) => ({ weight: onGrid(seed), shape: [K, K] as const }));
    const s = awqScale(layers, x, { module });
    expect(s.alpha).toBe(0);
    expect(s.losses[0]).toBe(0);
    expect(Array.from(s.losses.subarray(1)).every((l) => l > 0)).toBe(true);
    expect(Array.from(s.inputScale).every((v) => v === 1)).toBe(true);
  });

  it("on inputs with outlier channels, the scale it finds beats RTN on held-out rows of the block's output", () => {
    const source = correlatedActivations(29, K);
    const outliers = (x: Float32Array) => {
      for (let i = 0; i < x.length; i++) if ([3, 17, 40, 61].includes(i % K)) x[i]! *= 20;
      return x;
    };
    const x = outliers(source.sample(rows));
    const held = outliers(source.sample(rows));
    const w = [gaussian(30, K * K, 0.1), gaussian(31, K * K, 0.1), gaussian(32, K * K, 0.1)];
    const layers = w.map((weight) => ({ weight, shape: [K, K] as const }));
    const s = awqScale(layers, x, { module });
    expect(s.alpha).toBeGreaterThan(0);
    const reference = module.forward(held, rows, w);
    const mse = (ws: Float32Array[]) => {
      const y = module.forward(held, rows, ws);
      return y.reduce((a, v, i) => a + (v - reference[i]!) ** 2, 0) / y.length;
    };
    const rtn = mse(w.map((v) => quantizeBlockwise(v, [K, K]).dequantized));
    const scaled = mse(
      w.map((v) => awq(v, [K, K], x, { inputScale: s.inputScale, clip: false }).equivalentWeight),
    );
    expect(scaled).toBeLessThan(0.7 * rtn);
  });

  it("rejects a module without forward", () => {
    const x = gaussian(33, rows * K);
    const layers = [{ weight: gaussian(34, K * K), shape: [K, K] as const }];
    expect(() => awqScale(layers, x, { module: {} as never })).toThrow(/module must be/);
  });
});
