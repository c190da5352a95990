import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Int8Like, matmulInteger } from "../src/index";
import { cpuBackends } from "./_backends";
import { refMatmulInteger, TestRng } from "./_reference";

const backends = cpuBackends();

/** The same sums in doubles: exact while k * 255 * 255 < 2^53 (every k here), then wrapped like int32. */
function refFast(
  a: Int8Like,
  b: Int8Like,
  m: number,
  k: number,
  n: number,
  za: number,
  zb: Int32Array,
  transB: boolean,
) {
  const out = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++)
        s += (a[i * k + kk]! - za) * ((transB ? b[j * k + kk]! : b[kk * n + j]!) - zb[j]!);
      out[i * n + j] = s | 0;
    }
  }
  return out;
}

function make(rng: TestRng, signed: boolean, length: number): Int8Like {
  return signed ? rng.int8(length) : rng.uint8(length);
}

describe("matmulInteger (ONNX MatMulInteger semantics)", () => {
  it("works the documented example by hand", () => {
    const a = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const b = new Int8Array([1, -1, 0, 2, -3, 1]);
    // (a - 1) = [[0, 1, 2], [3, 4, 5]]; row 0: [0 + 0 - 6, 0 + 2 + 2]; row 1: [3 + 0 - 15, -3 + 8 + 5].
    expect(Array.from(matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 1 }))).toEqual([-6, 4, -12, 10]);
    for (const { kernels } of backends) {
      expect(Array.from(kernels.matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 1 }))).toEqual([
        -6, 4, -12, 10,
      ]);
    }
  });

  for (const { name, kernels } of backends) {
    describe(`on ${name}`, () => {
      it("equals the BigInt reference for random shapes, dtypes, zero points (per tensor and per column) and transB", () => {
        fc.assert(
          fc.property(
            fc.record({
              m: fc.integer({ min: 1, max: 19 }),
              k: fc.integer({ min: 1, max: 70 }),
              n: fc.integer({ min: 1, max: 27 }),
              signedA: fc.boolean(),
              signedB: fc.boolean(),
              transB: fc.boolean(),
              perColumn: fc.boolean(),
              seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
            }),
            ({ m, k, n, signedA, signedB, transB, perColumn, seed }) => {
              const rng = new TestRng(seed);
              const a = make(rng, signedA, m * k);
              const b = make(rng, signedB, k * n);
              const za = signedA ? rng.int(-128, 127) : rng.int(0, 255);
              const zb = new Int32Array(n).map(() => (signedB ? rng.int(-128, 127) : rng.int(0, 255)));
              const bZeroPoint = perColumn ? zb : zb[0]!;
              const got = kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint, transB });
              const want = refMatmulInteger(a, b, m, k, n, za, perColumn ? zb : zb[0]!, transB);
              expect(got).toEqual(want);
            },
          ),
          { numRuns: 120, seed: 11 },
        );
      });

      it("is exact on constant extremes (all -128, all 127, all 255) for k = 1 and odd shapes", () => {
        const cases: [Int8Like, Int8Like, number, number][] = [
          [new Int8Array(1).fill(-128), new Int8Array(1).fill(-128), 0, 0],
          [new Int8Array(1).fill(127), new Int8Array(1).fill(-128), -128, 127],
          [new Uint8Array(1).fill(255), new Int8Array(1).fill(-128), 0, 127],
          [new Uint8Array(1).fill(255), new Uint8Array(1).fill(255), 0, 0],
          [new Uint8Array(1).fill(0), new Uint8Array(1).fill(255), 255, 0],
        ];
        for (const [a1, b1, za, zb] of cases) {
          for (const [m, k, n] of [
            [1, 1, 1],
            [5, 1, 9],
            [7, 3, 13],
            [4, 16, 8],
            [17, 33, 3],
          ] as const) {
            const a = (a1 instanceof Int8Array ? new Int8Array(m * k) : new Uint8Array(m * k)).fill(a1[0]!);
            const b = (b1 instanceof Int8Array ? new Int8Array(k * n) : new Uint8Array(k * n)).fill(b1[0]!);
            const got = kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: za, bZeroPoint: zb });
            const want = refMatmulInteger(a, b, m, k, n, za, zb);
            expect(got).toEqual(want);
            expect(got[0]).toBe(k * (a1[0]! - za) * (b1[0]! - zb)); // every entry is k (a - za)(b - zb)
          }
        }
      });

      it("writes into `out` and handles empty dimensions (k = 0 gives zeros)", () => {
        const out = new Int32Array(4).fill(99);
        const a = new Uint8Array([1, 2]);
        const b = new Int8Array([3, 4]);
        expect(kernels.matmulInteger(a, b, { m: 2, k: 1, n: 2, out })).toBe(out);
        expect(Array.from(out)).toEqual([3, 4, 6, 8]);
        expect(
          Array.from(kernels.matmulInteger(new Uint8Array(0), new Int8Array(0), { m: 2, k: 0, n: 3 })),
        ).toEqual([0, 0, 0, 0, 0, 0]);
        expect(kernels.matmulInteger(new Uint8Array(0), new Int8Array(6), { m: 0, k: 2, n: 3 }).length).toBe(
          0,
        );
      });
    });
  }

  it("equals the reference across the cache blocks on every backend (m = 133, k = 1030, n = 77: past 128 rows, 512 k, odd edges)", () => {
    const rng = new TestRng(5);
    const [m, k, n] = [133, 1030, 77];
    for (const transB of [false, true]) {
      const a = rng.uint8(m * k);
      const b = rng.int8(k * n);
      const zb = new Int32Array(n).map(() => rng.int(-128, 127));
      const want = refFast(a, b, m, k, n, 131, zb, transB);
      for (const { kernels } of backends) {
        expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: 131, bZeroPoint: zb, transB })).toEqual(
          want,
        );
      }
    }
  });

  it("wraps modulo 2^32 like int32 accumulation at k = 65,536 with the largest products, on every backend", () => {
    const [m, k, n] = [3, 65_536, 9];
    // (255 - 0)(-128 - 127) = -65,025 per step; k steps give -4,261,478,400, which wraps to 33,488,896.
    const a = new Uint8Array(m * k).fill(255);
    const b = new Int8Array(k * n).fill(-128);
    const want = refMatmulInteger(a, b, m, k, n, 0, 127);
    expect(want[0]).toBe(33_488_896);
    const s = new Int8Array(m * k).fill(-128);
    const t = new Int8Array(k * n).fill(-128);
    const u = new Int8Array(m * k).fill(127);
    const v = new Int8Array(k * n).fill(127);
    for (const { kernels } of backends) {
      expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: 0, bZeroPoint: 127 })).toEqual(want);
      // All -128 times all -128: 16,384 k = 2^30 exactly, no wrap.
      expect(Array.from(kernels.matmulInteger(s, t, { m, k, n }))).toEqual(new Array(m * n).fill(2 ** 30));
      // All 127 with zero points: (127 - (-128)) * (127 - 0) * 65,536 = 2,122,383,360 < 2^31.
      expect(kernels.matmulInteger(u, v, { m, k, n, aZeroPoint: -128 })[5]).toBe(2_122_383_360);
    }
  });

  it("is exact at k = 65,536 on random codes with per-column zero points (BigInt reference), on every backend", () => {
    const rng = new TestRng(77);
    const [m, k, n] = [2, 65_536, 5];
    const a = rng.int8(m * k);
    const b = rng.uint8(k * n);
    const zb = new Int32Array([0, 255, 128, 1, 77]);
    for (const transB of [false, true]) {
      const want = refMatmulInteger(a, b, m, k, n, -7, zb, transB);
      for (const { kernels } of backends) {
        expect(kernels.matmulInteger(a, b, { m, k, n, aZeroPoint: -7, bZeroPoint: zb, transB })).toEqual(
          want,
        );
      }
    }
  });

  it("gives the same bits on every backend for a 160 x 200 x 136 product (threads split its panels)", () => {
    const rng = new TestRng(3);
    const a = rng.uint8(160 * 200);
    const b = rng.int8(200 * 136);
    const results = backends.map(({ kernels }) =>
      kernels.matmulInteger(a, b, { m: 160, k: 200, n: 136, aZeroPoint: 128 }),
    );
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });

  describe("rejects bad input with errors naming the argument", () => {
    const a = new Uint8Array(6);
    const b = new Int8Array(6);
    it("lengths that do not match m, k, n", () => {
      expect(() => matmulInteger(a, b, { m: 2, k: 2, n: 3 })).toThrow(
        /a must have length m \* k \(2 \* 2\) = 4, got 6/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 3 })).toThrow(
        /b must have length k \* n \(3 \* 3\) = 9, got 6/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 3, transB: true })).toThrow(
        /b must have length n \* k/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, out: new Int32Array(3) })).toThrow(
        /out must have length m \* n/,
      );
    });
    it("non-integer, negative or non-number dimensions", () => {
      expect(() => matmulInteger(a, b, { m: 1.5, k: 4, n: 1.5 })).toThrow(
        /m must be a non-negative integer, got 1.5/,
      );
      expect(() => matmulInteger(a, b, { m: -2, k: -3, n: 2 })).toThrow(
        /m must be a non-negative integer, got -2/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: Number.NaN })).toThrow(RangeError);
      expect(() => matmulInteger(a, b, { m: "2", k: 3, n: 2 } as never)).toThrow(TypeError);
      expect(() => matmulInteger(a, b, undefined as never)).toThrow(TypeError);
    });
    it("zero points outside the dtype", () => {
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 256 })).toThrow(
        /aZeroPoint must be an integer in \[0, 255\] \(uint8\), got 256/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: -1 })).toThrow(/aZeroPoint/);
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, bZeroPoint: 128 })).toThrow(
        /bZeroPoint must be an integer in \[-128, 127\] \(int8\), got 128/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, aZeroPoint: 0.5 })).toThrow(RangeError);
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, bZeroPoint: new Int32Array([0, -129]) })).toThrow(
        /bZeroPoint\[1\] must be an integer in \[-128, 127\] \(int8\), got -129/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, bZeroPoint: new Int32Array(3) })).toThrow(
        /bZeroPoint must have length n/,
      );
    });
    it("arrays of the wrong type", () => {
      expect(() => matmulInteger(new Float32Array(6) as never, b, { m: 2, k: 3, n: 2 })).toThrow(
        /a must be an Int8Array or a Uint8Array, got Float32Array/,
      );
      expect(() => matmulInteger(a, [1, 2, 3, 4, 5, 6] as never, { m: 2, k: 3, n: 2 })).toThrow(
        /b must be an Int8Array or a Uint8Array, got Array/,
      );
      expect(() => matmulInteger(a, b, { m: 2, k: 3, n: 2, out: new Float32Array(4) as never })).toThrow(
        TypeError,
      );
    });
  });
});
