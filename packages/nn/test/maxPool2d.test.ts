import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { MaxPool2d } from "../src/index";
import { dot, f64, maxPoolRef, maxRelError, numericGrad, randn, TOL } from "./_reference";

describe("MaxPool2d, known answers", () => {
  const x = new Float32Array([1, 2, 5, 3, 4, 0, 7, 8, 9, 1, 2, 3, 6, 5, 4, 8]);
  it("2x2 windows of a 4x4 image; the gradient goes to each maximum", () => {
    const pool = new MaxPool2d(2);
    expect(Array.from(pool.forward(x, [1, 1, 4, 4]).data)).toEqual([4, 8, 9, 8]);
    const g = pool.backward(new Float32Array([1, 2, 3, 4]));
    expect(Array.from(g)).toEqual([0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 4]);
  });
  it("ties go to the first maximum in row-major order, as PyTorch's CPU kernel; NaN wins", () => {
    const pool = new MaxPool2d(2);
    pool.forward(new Float32Array([7, 7, 7, 7]), [1, 1, 2, 2]);
    expect(Array.from(pool.backward(new Float32Array([1])))).toEqual([1, 0, 0, 0]);
    expect(pool.forward(new Float32Array([1, Number.NaN, 3, 2]), [1, 1, 2, 2]).data[0]).toBeNaN();
  });
  it("output sizes equal PyTorch's, ceil mode included", () => {
    // torch.nn.MaxPool2d(k, s, p, d, ceil_mode=c)(torch.zeros(1, 1, h, h)).shape[-1]
    const cases: Array<[number, number, number, number, number, boolean, number]> = [
      [6, 3, 2, 0, 1, true, 3],
      [6, 3, 2, 0, 1, false, 2],
      [5, 2, 2, 0, 1, true, 3],
      [4, 3, 2, 1, 1, true, 3],
      [7, 2, 3, 1, 1, true, 3],
      [28, 2, 2, 0, 1, false, 14],
      [10, 3, 3, 1, 2, true, 4],
    ];
    for (const [h, k, s, p, d, ceilMode, expected] of cases) {
      const pool = new MaxPool2d(k, { stride: s, padding: p, dilation: d, ceilMode });
      expect(
        pool.forward(new Float32Array(h * h), [1, 1, h, h]).shape[3],
        `h ${h} k ${k} s ${s} p ${p} d ${d} ceil ${ceilMode}`,
      ).toBe(expected);
    }
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(
      "padding must be at most half the kernel size, got padding 2 for kernel 2",
    );
  });
});

describe("MaxPool2d gradients", () => {
  it.each([
    [2, {}, 4, 4],
    [3, { stride: 2, padding: 1 }, 5, 6],
    [2, { stride: 1, dilation: 2 }, 5, 5],
    [3, { stride: 2, ceilMode: true }, 6, 6],
  ] as const)(
    "kernel %i %o on %ix%i: forward equals direct loops, dx equals central differences",
    (k, opts, h, w) => {
      const rng = new Rng(h * 7 + k);
      const pool = new MaxPool2d(k, opts);
      const shape = [2, 2, h, w];
      const x = randn(2 * 2 * h * w, rng);
      const y = pool.forward(x, shape);
      const [, , outH, outW] = y.shape as number[];
      const s = pool.stride[0];
      const p = pool.padding[0];
      const d = pool.dilation[0];
      expect(Array.from(y.data)).toEqual(
        Array.from(maxPoolRef(f64(x), shape, k, s, p, d, outH!, outW!)).map(Math.fround),
      );
      const r = randn(y.data.length, rng);
      const gx = pool.backward(r);
      expect(
        maxRelError(
          gx,
          numericGrad((v) => dot(r, maxPoolRef(v, shape, k, s, p, d, outH!, outW!)), f64(x)),
        ),
      ).toBeLessThan(TOL);
    },
  );
});
