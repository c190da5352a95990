import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmulF32 } from "../src/index";
import { cpuBackends } from "./_backends";
import { refMatmulF32, TestRng } from "./_reference";

const backends = cpuBackends();

/** Bit equality, NaN included (Object.is tells +0 from -0 too). */
function sameBits(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      expect({ index: i, got: got[i] }).toEqual({ index: i, got: want[i] });
    }
  }
}

describe("matmulF32", () => {
  it("works the documented example by hand", () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([1, 0, 0.5, 1]);
    expect(Array.from(matmulF32(a, b, { m: 2, k: 2, n: 2, bias: new Float32Array([0, 10]) }))).toEqual([
      2, 12, 5, 14,
    ]);
  });

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals the float32-rounded reference bit for bit (random shapes, transB, bias)`, () => {
      fc.assert(
        fc.property(
          fc.record({
            m: fc.integer({ min: 1, max: 17 }),
            k: fc.integer({ min: 1, max: 60 }),
            n: fc.integer({ min: 1, max: 25 }),
            transB: fc.boolean(),
            withBias: fc.boolean(),
            seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          }),
          ({ m, k, n, transB, withBias, seed }) => {
            const rng = new TestRng(seed);
            const a = rng.float32(m * k, 3);
            const b = rng.float32(k * n, 3);
            const bias = withBias ? rng.float32(n) : undefined;
            sameBits(
              kernels.matmulF32(a, b, { m, k, n, transB, bias }),
              refMatmulF32(a, b, m, k, n, transB, bias),
            );
          },
        ),
        { numRuns: 100, seed: 12 },
      );
    });
  }

  it("gives the same bits on every backend across the cache blocks (m = 133, k = 600, n = 70), transB too", () => {
    const rng = new TestRng(8);
    const [m, k, n] = [133, 600, 70];
    const a = rng.float32(m * k);
    const b = rng.float32(k * n);
    const bias = rng.float32(n);
    for (const transB of [false, true]) {
      const want = refMatmulF32(a, b, m, k, n, transB, bias);
      for (const { kernels } of backends) sameBits(kernels.matmulF32(a, b, { m, k, n, transB, bias }), want);
    }
  });

  it("rounds like float32, not float64: 1 + 2^-24 products and cancellation", () => {
    // (1 + 2^-23)(1 + 2^-23) = 1 + 2^-22 + 2^-46 rounds to 1 + 2^-22 in float32; then - 1 leaves 2^-22.
    const x = Math.fround(1 + 2 ** -23);
    const a = new Float32Array([x, 1]);
    const b = new Float32Array([x, -1]);
    for (const { kernels } of backends) {
      expect(kernels.matmulF32(a, b, { m: 1, k: 2, n: 1 })[0]).toBe(2 ** -22);
    }
    // Large then small: 2^24 + 1 - 2^24 is 0 in float32 order (the 1 is lost), 1 in float64.
    const c = new Float32Array([2 ** 24, 1, -(2 ** 24)]);
    const d = new Float32Array([1, 1, 1]);
    for (const { kernels } of backends) expect(kernels.matmulF32(c, d, { m: 1, k: 3, n: 1 })[0]).toBe(0);
  });

  it("propagates infinities and NaN, and keeps -0 bits equal across backends", () => {
    const a = new Float32Array([Number.POSITIVE_INFINITY, 1, -0, 0, Number.NaN, 2, 1e38, 1e38]);
    const b = new Float32Array([1, 2, -0, 3, 4, 5, 6, 7]);
    const want = refMatmulF32(a, b, 4, 2, 4);
    for (const { kernels } of backends) sameBits(kernels.matmulF32(a, b, { m: 4, k: 2, n: 4 }), want);
    expect(want[0]).toBe(Number.POSITIVE_INFINITY); // inf * 1 + 1 * 4
    expect(Number.isNaN(want[2])).toBe(true); // inf * -0
    expect(Object.is(want[4], 0)).toBe(true); // -0 * 1 + 0 * 4 = +0 (the sum starts at +0)
    expect(Number.isNaN(want[8])).toBe(true);
    expect(want[12]).toBe(Number.POSITIVE_INFINITY); // 1e38 + 4e38 overflows float32
  });

  it("handles k = 0 (bias only) and empty outputs", () => {
    const bias = new Float32Array([1, 2]);
    expect(
      Array.from(matmulF32(new Float32Array(0), new Float32Array(0), { m: 2, k: 0, n: 2, bias })),
    ).toEqual([1, 2, 1, 2]);
    expect(matmulF32(new Float32Array(0), new Float32Array(6), { m: 0, k: 3, n: 2 }).length).toBe(0);
  });

  it("rejects bad input, naming the argument", () => {
    const a = new Float32Array(6);
    expect(() => matmulF32(a, a, { m: 2, k: 3, n: 3 })).toThrow(
      /b must have length k \* n \(3 \* 3\) = 9, got 6/,
    );
    expect(() => matmulF32(a, a, { m: 2, k: 3, n: 2, bias: new Float32Array(3) })).toThrow(
      /bias must have length n = 2, got 3/,
    );
    expect(() => matmulF32(new Int8Array(6) as never, a, { m: 2, k: 3, n: 2 })).toThrow(
      /a must be a Float32Array, got Int8Array/,
    );
    expect(() => matmulF32(a, a, { m: 2.5, k: 3, n: 2 })).toThrow(
      /m must be a non-negative integer, got 2.5/,
    );
    expect(() => matmulF32(a, a, { m: 2, k: 3, n: 2, transB: 1 as never })).toThrow(
      /transB must be a boolean/,
    );
  });
});
