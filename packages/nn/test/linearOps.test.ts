import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { linearBackward, linearForward } from "../src/index";
import { f64, linearRef, maxRelError, randn } from "./_reference";

describe("linearForward (F.linear)", () => {
  it("linearForward(x, shape, weight, bias) is y = x W^T + b: the example by hand", () => {
    const y = linearForward(
      new Float32Array([1, 2]),
      [1, 2],
      new Float32Array([1, 0, 0, 1, 1, 1]),
      new Float32Array([0, 0, 10]),
    );
    expect(Array.from(y.data)).toEqual([1, 2, 13]);
    expect(y.shape).toEqual([1, 3]);
  });
  it.each([
    [[5, 7], 3, true],
    [[2, 3, 4], 6, false],
    [[1, 1], 1, true],
  ] as const)("shape %j to %i outputs (bias %s) equals the float64 loops", (shape, outF, bias) => {
    const rng = new Rng(shape.length * 10 + outF);
    const inF = shape[shape.length - 1]!;
    const m = shape.reduce((a: number, b: number) => a * b, 1) / inF;
    const x = randn(m * inF, rng);
    const w = randn(outF * inF, rng);
    const b = bias ? randn(outF, rng) : null;
    const y = linearForward(x, shape, w, b);
    expect(y.shape).toEqual([...shape.slice(0, -1), outF]);
    expect(maxRelError(y.data, linearRef(f64(x), m, inF, f64(w), b === null ? null : f64(b)))).toBeLessThan(
      1e-6,
    );
  });
  it("a weight or bias that does not fit is an error with the sizes", () => {
    expect(() => linearForward(new Float32Array(6), [2, 3], new Float32Array(4), null)).toThrow(
      "linear: input shape [2, 3] does not fit a weight of 4 elements (its last axis must be inFeatures)",
    );
    expect(() =>
      linearForward(new Float32Array(6), [2, 3], new Float32Array(6), new Float32Array(3)),
    ).toThrow("linear: bias has 3 elements, expected outFeatures = 2");
  });
});

describe("linearBackward", () => {
  it("the example by hand: dx is row 0 of W, dW = g^T x", () => {
    const w = new Float32Array([1, 0, 0, 1, 1, 1]); // [3, 2]
    const gw = new Float32Array(6);
    const gx = linearBackward(new Float32Array([1, 0, 0]), new Float32Array([1, 2]), [1, 2], w, gw, null);
    expect(Array.from(gx!)).toEqual([1, 0]);
    expect(Array.from(gw)).toEqual([1, 2, 0, 0, 0, 0]);
  });
  it("dx = g W, dW += g^T x, db += column sums of g, against float64 loops; gradients accumulate", () => {
    const rng = new Rng(17);
    const [m, inF, outF] = [6, 5, 4];
    const x = randn(m * inF, rng);
    const w = randn(outF * inF, rng);
    const g = randn(m * outF, rng);
    const gw = new Float32Array(outF * inF);
    const gb = new Float32Array(outF);
    const gx = linearBackward(g, x, [m, inF], w, gw, gb)!;
    const refX = new Float64Array(m * inF);
    const refW = new Float64Array(outF * inF);
    const refB = new Float64Array(outF);
    for (let i = 0; i < m; i++)
      for (let o = 0; o < outF; o++) {
        const go = g[i * outF + o]!;
        refB[o] = refB[o]! + go;
        for (let k = 0; k < inF; k++) {
          refX[i * inF + k] = refX[i * inF + k]! + go * w[o * inF + k]!;
          refW[o * inF + k] = refW[o * inF + k]! + go * x[i * inF + k]!;
        }
      }
    expect(maxRelError(gx, refX)).toBeLessThan(1e-6);
    expect(maxRelError(gw, refW)).toBeLessThan(1e-6);
    expect(maxRelError(gb, refB)).toBeLessThan(1e-6);
    // a second call adds into the same gradients
    linearBackward(g, x, [m, inF], w, gw, gb, false);
    expect(
      maxRelError(
        gw,
        refW.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxRelError(
        gb,
        refB.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-6);
  });
  it("needInput false returns undefined; null gradients are left alone", () => {
    const w = new Float32Array([1, 2]);
    expect(
      linearBackward(new Float32Array([1]), new Float32Array([3, 4]), [1, 2], w, null, null, false),
    ).toBe(undefined);
    expect(
      Array.from(linearBackward(new Float32Array([2]), new Float32Array([3, 4]), [1, 2], w, null, null)!),
    ).toEqual([2, 4]);
  });
});
