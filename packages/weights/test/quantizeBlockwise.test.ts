import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { dequantizeBlockwise, quantizeBlockwise } from "../src/index";
import { gaussian } from "./_gaussian";
import { refRtn } from "./_reference";

/** One output row of K values: `head` then zeros. */
function row(head: number[], K = 16): Float32Array {
  const w = new Float32Array(K);
  w.set(head);
  return w;
}

describe("quantizeBlockwise known answers (hand-computed)", () => {
  it("asymmetric 4-bit: range widened to 0, scale (max - min) / 15, zero point and codes round ties away from zero", () => {
    // min -1.5, max 6: scale 7.5 / 15 = 0.5, zero point -(-1.5) / 0.5 = 3.
    // 0.25 -> 0.5 + 3 = 3.5 -> 4; -0.25 -> 2.5 -> 3 (half-to-even would give 2); 0.75 -> 4.5 -> 5 (even: 4).
    const q = quantizeBlockwise(row([-1.5, 6, 0.25, -0.25, 0.75, 1, 0]), [1, 16], { blockSize: 16 });
    expect(Array.from(q.scales)).toEqual([0.5]);
    expect(Array.from(q.zeroPoints)).toEqual([3]);
    expect(Array.from(q.codes.subarray(0, 8))).toEqual([0, 15, 4, 3, 5, 5, 3, 3]);
    expect(Array.from(q.dequantized.subarray(0, 6))).toEqual([-1.5, 6, 0.5, 0, 1, 1]);
  });

  it("asymmetric: an all-positive block keeps 0 in range (zero point 0)", () => {
    // range [0, 7.5] -> scale 0.5, zero point 0; 2.25 -> 4.5 -> 5.
    const q = quantizeBlockwise(
      row([1, 7.5, 2.25], 16).map((v, i) => (i < 3 ? v : 1)),
      [1, 16],
      { blockSize: 16 },
    );
    expect(Array.from(q.scales)).toEqual([0.5]);
    expect(Array.from(q.zeroPoints)).toEqual([0]);
    expect(Array.from(q.codes.subarray(0, 3))).toEqual([2, 15, 5]);
  });

  it("symmetric 4-bit: scale = (value of largest magnitude, with its sign) / -8, zero point 8", () => {
    // largest magnitude -4 -> scale 0.5: -4 -> 0, 3 -> 14, 0.25 -> 8.5 -> 9 (even: 8).
    const neg = quantizeBlockwise(row([-4, 3, 0.25]), [1, 16], { blockSize: 16, symmetric: true });
    expect(Array.from(neg.scales)).toEqual([0.5]);
    expect(Array.from(neg.zeroPoints)).toEqual([8]);
    expect(Array.from(neg.codes.subarray(0, 4))).toEqual([0, 14, 9, 8]);
    // largest magnitude +4 -> scale -0.5: 4 -> 0, -3 -> 14; dequantized back exactly.
    const pos = quantizeBlockwise(row([4, -3]), [1, 16], { blockSize: 16, symmetric: true });
    expect(Array.from(pos.scales)).toEqual([-0.5]);
    expect(Array.from(pos.codes.subarray(0, 3))).toEqual([0, 14, 8]);
    expect(Array.from(pos.dequantized.subarray(0, 2))).toEqual([4, -3]);
  });

  it("symmetric tie |max| == |min| takes min: +2 lands on code 16, clipped to 15", () => {
    const q = quantizeBlockwise(row([2, -2, 1]), [1, 16], { blockSize: 16, symmetric: true });
    expect(Array.from(q.scales)).toEqual([0.25]);
    expect(Array.from(q.codes.subarray(0, 3))).toEqual([15, 0, 12]);
    expect(Array.from(q.dequantized.subarray(0, 3))).toEqual([1.75, -2, 1]);
  });

  it("all-zero blocks: symmetric scale -0 and code 8; asymmetric scale 0, zero point 0, code 0", () => {
    const sym = quantizeBlockwise(new Float32Array(16), [1, 16], { blockSize: 16, symmetric: true });
    expect(Object.is(sym.scales[0], -0)).toBe(true);
    expect(sym.codes.every((c) => c === 8)).toBe(true);
    const asym = quantizeBlockwise(new Float32Array(16), [1, 16], { blockSize: 16 });
    expect(Object.is(asym.scales[0], 0)).toBe(true);
    expect(asym.zeroPoints[0]).toBe(0);
    expect(asym.codes.every((c) => c === 0)).toBe(true);
  });

  it("2 bits (scale (max - min) / 3) and 8 bits (symmetric / -128)", () => {
    // [-1, 2]: scale 1, zero point 1; 0.5 -> 1.5 -> 2; -0.5 -> 0.5 -> 1.
    const q2 = quantizeBlockwise(row([-1, 2, 0.5, -0.5]), [1, 16], { bits: 2, blockSize: 16 });
    expect(Array.from(q2.scales)).toEqual([1]);
    expect(Array.from(q2.zeroPoints)).toEqual([1]);
    expect(Array.from(q2.codes.subarray(0, 5))).toEqual([0, 3, 2, 1, 1]);
    // largest magnitude -64 -> scale 0.5, zero point 128: 0.25 -> 128.5 -> 129; 63.5 -> 255.
    const q8 = quantizeBlockwise(row([-64, 63.5, 0.25]), [1, 16], {
      bits: 8,
      blockSize: 16,
      symmetric: true,
    });
    expect(Array.from(q8.scales)).toEqual([0.5]);
    expect(Array.from(q8.zeroPoints)).toEqual([128]);
    expect(Array.from(q8.codes.subarray(0, 3))).toEqual([0, 255, 129]);
  });

  it("float16 scales are rounded to float16 and codes use the rounded scale", () => {
    // [0, 1]: float32 scale 1/15 rounds to the half 1092 * 2^-14 = 0.066650390625; 1 / that = 15.0037 -> 15,
    // 0.5 -> 7.50183 -> 8.
    const q = quantizeBlockwise(row([1, 0.5]), [1, 16], { blockSize: 16, scaleType: "float16" });
    expect(Array.from(q.scales)).toEqual([0.066650390625]);
    expect(Array.from(q.codes.subarray(0, 2))).toEqual([15, 8]);
  });

  it("a short last block (K = 20, blockSize 16) uses only its 4 real values", () => {
    const w = new Float32Array(20);
    w[16] = 3;
    w[17] = -1.5;
    w[0] = 100;
    const q = quantizeBlockwise(w, [1, 20], { blockSize: 16 });
    expect(q.nBlocks).toBe(2);
    expect(q.scales[1]).toBe(Math.fround(0.3)); // f32(4.5 / 15)
    expect(q.zeroPoints[1]).toBe(5);
    expect(Array.from(q.codes.subarray(16))).toEqual([15, 0, 5, 5]);
  });
});

function sample(rng: Rng, n: number): Float32Array {
  // Gaussian values, a few exact ties on a coarse grid, and some outliers.
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    w[i] = u < 0.2 ? Math.round(rng.normal(0, 4)) / 4 : u < 0.22 ? rng.normal(0, 20) : rng.normal(0, 1);
  }
  return w;
}

describe("quantizeBlockwise equals the slow reference of ONNX Runtime's arithmetic", () => {
  const rng = new Rng(17);
  for (const bits of [2, 3, 4, 8] as const) {
    for (const symmetric of [false, true]) {
      for (const scaleType of ["float32", "float16"] as const) {
        it(`bits ${bits}, ${symmetric ? "symmetric" : "asymmetric"}, ${scaleType} scales, every block size`, () => {
          for (const blockSize of [16, 32, 64, 128, 256]) {
            const N = 5;
            const K = blockSize * 2 + 7; // a short last block
            const w = sample(rng, N * K);
            const q = quantizeBlockwise(w, [N, K], { bits, blockSize, symmetric, scaleType });
            const ref = refRtn(w, N, K, bits, blockSize, symmetric, scaleType === "float16");
            expect(Array.from(q.codes)).toEqual(ref.codes.flat());
            expect(Array.from(q.zeroPoints)).toEqual(ref.zeroPoints.flat());
            const scales = Array.from(q.scales);
            for (const [i, s] of ref.scales.flat().entries()) expect(Object.is(scales[i], s)).toBe(true);
            const deq = q.dequantized;
            for (let n = 0; n < N; n++) {
              for (let k = 0; k < K; k++) {
                const b = Math.floor(k / blockSize);
                const want = Math.fround((ref.codes[n]![k]! - ref.zeroPoints[n]![b]!) * ref.scales[n]![b]!);
                expect(deq[n * K + k]).toBe(want);
              }
            }
          }
        });
      }
    }
  }
});

describe("layouts", () => {
  it('layout "KN" (ONNX MatMul B) gives the codes of the transposed "NK" matrix and dequantizes in KN', () => {
    const rng = new Rng(3);
    const N = 6;
    const K = 48;
    const wNK = sample(rng, N * K);
    const wKN = new Float32Array(K * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wKN[k * N + n] = wNK[n * K + k]!;
    const a = quantizeBlockwise(wNK, [N, K], { blockSize: 16 });
    const b = quantizeBlockwise(wKN, [K, N], { blockSize: 16, layout: "KN" });
    expect([b.N, b.K]).toEqual([N, K]);
    expect(b.codes).toEqual(a.codes);
    expect(b.scales).toEqual(a.scales);
    for (let n = 0; n < N; n++)
      for (let k = 0; k < K; k++) expect(b.dequantized[k * N + n]).toBe(a.dequantized[n * K + k]);
    expect(dequantizeBlockwise(b)).toEqual(b.dequantized);
    expect(dequantizeBlockwise(b, "NK")).toEqual(a.dequantized);
  });
});

describe("bad input gets an error naming the argument and the value", () => {
  const w = new Float32Array(4 * 64).fill(0.5);
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    expect(() => quantizeBlockwise(w, [4, 64], { bits: 5 as never })).toThrow(
      "quantizeBlockwise: bits must be 2, 3, 4 or 8, got 5",
    );
  });
  it("block sizes that are not powers of two, out of 16..256, or larger than K", () => {
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 48 })).toThrow(
      /blockSize must be a power of two in 16\.\.256.*got 48/,
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 8 })).toThrow(/got 8/);
    expect(() => quantizeBlockwise(new Float32Array(2 * 512), [2, 512], { blockSize: 512 })).toThrow(
      /got 512/,
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 128 })).toThrow(
      "blockSize 128 does not fit K = 64",
    );
    expect(() => quantizeBlockwise(w, [64, 4], { layout: "KN", blockSize: 128 })).toThrow(
      "does not fit K = 64",
    );
  });
  it("NaN or Infinity in the weight, with its position", () => {
    const bad = w.slice();
    bad[70] = Number.NaN;
    expect(() => quantizeBlockwise(bad, [4, 64])).toThrow("quantizeBlockwise: weight[70] is NaN");
    bad[70] = Number.POSITIVE_INFINITY;
    expect(() => quantizeBlockwise(bad, [4, 64])).toThrow("weight[70] is Infinity");
  });
  it("shape mismatches, unknown options and bad option values", () => {
    expect(() => quantizeBlockwise(w, [4, 65])).toThrow(
      "weight has 256 elements but shape [4, 65] needs 260",
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blocksize: 32 } as never)).toThrow(
      'unknown option "blocksize"',
    );
    expect(() => quantizeBlockwise(w, [4, 64], { scaleType: "bfloat16" as never })).toThrow(
      'scaleType must be "float32" or "float16", got "bfloat16"',
    );
    expect(() => quantizeBlockwise(w, [4, 64], { layout: "nk" as never })).toThrow(
      'layout must be "NK" or "KN", got "nk"',
    );
    expect(() => quantizeBlockwise(Array.from(w) as never, [4, 64])).toThrow("weight must be a Float32Array");
  });
});

/**
 * ONNX Runtime's Gather path (matmul_nbits_quantizer.py, `quant_slice_symmetric` / `quant_slice_asymmetric`,
 * numpy in float32) written from its description for any width: plain loops, one block at a time.
 */
function refNumpyBlock(
  vals: number[],
  bits: number,
  symmetric: boolean,
): { codes: number[]; scale: number; zp: number } {
  const f = Math.fround;
  const rint = (t: number) => {
    const fl = Math.floor(t);
    const d = t - fl;
    return d > 0.5 || (d === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
  };
  const half = 2 ** (bits - 1);
  const qmax = 2 ** bits - 1;
  const mx = Math.max(...vals);
  const mn = Math.min(...vals);
  if (symmetric) {
    const absMax = Math.abs(mx) > Math.abs(mn) ? mx : mn;
    const scale = f(absMax / -half);
    const codes = vals.map(
      (v) => (scale === 0 ? 0 : Math.min(half - 1, Math.max(-half, rint(f(v / scale))))) + half,
    );
    return { codes, scale, zp: half };
  }
  const lo = Math.min(mn, 0);
  const hi = Math.max(mx, 0);
  const scale = f(f(hi - lo) / qmax);
  const clip = (q: number) => Math.min(qmax, Math.max(0, q));
  const zp = scale === 0 ? half : clip(rint(f(-lo / scale)));
  const codes = vals.map((v) => (scale === 0 ? half : clip(rint(f(f(v / scale) + zp)))));
  return { codes, scale, zp };
}

describe('quantizeBlockwise arithmetic "numpy": ONNX Runtime\'s Gather (embedding) path', () => {
  it("known answers: divided by the scale and ties to even, where MLAS rounds them away from zero", () => {
    // asymmetric: scale 0.5, zero point 3; 0.25 -> 3.5 -> 4 (even), -0.25 -> 2.5 -> 2, 0.75 -> 4.5 -> 4.
    const w = row([-1.5, 6, 0.25, -0.25, 0.75, 1, 0]);
    const q = quantizeBlockwise(w, [1, 16], { blockSize: 16, arithmetic: "numpy" });
    expect(Array.from(q.scales)).toEqual([0.5]);
    expect(Array.from(q.zeroPoints)).toEqual([3]);
    expect(Array.from(q.codes.subarray(0, 8))).toEqual([0, 15, 4, 2, 4, 5, 3, 3]);
    const mlas = quantizeBlockwise(w, [1, 16], { blockSize: 16 });
    expect(Array.from(mlas.codes.subarray(0, 8))).toEqual([0, 15, 4, 3, 5, 5, 3, 3]);
    // symmetric: scale -4 / -8 = 0.5... of -4: 0.25 -> 0.5 -> 0 (even) + 8 = 8 (MLAS: 9).
    const s = quantizeBlockwise(row([-4, 3, 0.25]), [1, 16], {
      blockSize: 16,
      symmetric: true,
      arithmetic: "numpy",
    });
    expect(Array.from(s.scales)).toEqual([0.5]);
    expect(Array.from(s.codes.subarray(0, 4))).toEqual([0, 14, 8, 8]);
  });

  it("all-zero blocks code 2^(bits-1) and take zero point 2^(bits-1), symmetric or not", () => {
    for (const symmetric of [false, true]) {
      const q = quantizeBlockwise(new Float32Array(32), [1, 32], {
        blockSize: 16,
        symmetric,
        arithmetic: "numpy",
      });
      expect(Array.from(q.zeroPoints)).toEqual([8, 8]);
      expect(q.codes.every((c) => c === 8)).toBe(true);
      expect(Array.from(q.dequantized).every((v) => v === 0)).toBe(true);
    }
  });

  for (const bits of [2, 4, 8] as const) {
    for (const symmetric of [false, true]) {
      it(`bits ${bits}, ${symmetric ? "symmetric" : "asymmetric"}: equals the numpy reference block by block (D = 72, short last block)`, () => {
        const V = 6;
        const D = 72;
        const w = gaussian(100 + bits, V * D);
        // Ties on purpose: multiples of a quarter of the block's step land on .5 after division.
        for (let i = 0; i < w.length; i += 7) w[i] = Math.round(w[i]! * 8) / 8;
        const q = quantizeBlockwise(w, [V, D], { bits, blockSize: 32, symmetric, arithmetic: "numpy" });
        for (let v = 0; v < V; v++) {
          for (let b = 0; b < 3; b++) {
            const vals = Array.from(w.subarray(v * D + b * 32, v * D + Math.min(D, (b + 1) * 32)));
            const r = refNumpyBlock(vals, bits, symmetric);
            expect(q.scales[v * 3 + b]).toBe(r.scale);
            expect(q.zeroPoints[v * 3 + b]).toBe(r.zp);
            expect(Array.from(q.codes.subarray(v * D + b * 32, v * D + b * 32 + vals.length))).toEqual(
              r.codes,
            );
          }
        }
      });
    }
  }

  it("rejects an unknown arithmetic", () => {
    expect(() => quantizeBlockwise(new Float32Array(32), [1, 32], { arithmetic: "torch" as never })).toThrow(
      'quantizeBlockwise: arithmetic must be "mlas" or "numpy", got "torch"',
    );
  });
});
