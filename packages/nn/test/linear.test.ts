import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { Linear } from "../src/index";
import { dot, f64, linearRef, maxRelError, numericGrad, randn, TOL } from "./_reference";

describe("Linear: y = x W^T + b, known answers", () => {
  const fc = new Linear(3, 2);
  fc.weight.data.set([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
  fc.bias!.data.set([0.5, -1]);
  it("forward by hand", () => {
    const y = fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    // row 0: [1 - 3 + 0.5, 4 - 6 - 1]; row 1: [2 + 2 + 0.5, 8 + 5 - 1]
    expect(Array.from(y.data)).toEqual([-1.5, -3, 4.5, 12]);
    expect(y.shape).toEqual([2, 2]);
  });
  it("backward by hand: dx = g W, dW = g^T x, db = column sums of g", () => {
    fc.zeroGrad();
    fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    const dx = fc.backward(new Float32Array([1, 0, 0, 1]));
    expect(Array.from(dx)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(fc.weight.grad)).toEqual([1, 0, -1, 2, 1, 0]);
    expect(Array.from(fc.bias!.grad)).toEqual([1, 1]);
    fc.forward(new Float32Array([1, 0, -1, 2, 1, 0]), [2, 3]);
    expect(fc.backward(new Float32Array(4), false).length).toBe(0);
  });
  it("clear errors for wrong input and misuse", () => {
    expect(() => fc.forward(new Float32Array(4), [2, 2])).toThrow(
      "Linear.forward: input shape [2, 2] must end in inFeatures = 3",
    );
    expect(() => fc.forward(new Float32Array(5), [2, 3])).toThrow(
      "Linear.forward: x has 5 elements but shape [2, 3] needs 6",
    );
    expect(() => new Linear(3, 2).backward(new Float32Array(2))).toThrow(
      "Linear.backward called before forward",
    );
    fc.forward(new Float32Array(6), [2, 3]);
    expect(() => fc.backward(new Float32Array(3))).toThrow(
      "Linear.backward: gradOut has 3 elements but the last output had 4",
    );
    expect(() => new Linear(0, 2)).toThrow("inFeatures must be a positive integer, got 0");
  });
});

describe("Linear gradients", () => {
  it.each([
    [3, 4, 5, true],
    [1, 7, 2, false],
    [6, 1, 3, true],
  ])("batch %i, in %i, out %i, bias %s: dx, dW, db equal central differences", (m, inF, outF, bias) => {
    const rng = new Rng(m * 100 + inF);
    const layer = new Linear(inF, outF, { rng, bias });
    const x = randn(m * inF, rng);
    const r = randn(m * outF, rng);
    const y = layer.forward(x, [m, inF]);
    const W = f64(layer.weight.data);
    const B = bias ? f64(layer.bias!.data) : null;
    expect(maxRelError(y.data, linearRef(f64(x), m, inF, W, B))).toBeLessThan(1e-6);
    const gx = layer.backward(r);
    expect(
      maxRelError(
        gx,
        numericGrad((v) => dot(r, linearRef(v, m, inF, W, B)), f64(x)),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        layer.weight.grad,
        numericGrad((v) => dot(r, linearRef(f64(x), m, inF, v, B)), W),
      ),
    ).toBeLessThan(TOL);
    if (B !== null) {
      expect(
        maxRelError(
          layer.bias!.grad,
          numericGrad((v) => dot(r, linearRef(f64(x), m, inF, W, v)), B),
        ),
      ).toBeLessThan(TOL);
    }
  });
  it("accepts leading axes [2, 3, in] and accumulates gradients over two backward calls", () => {
    const rng = new Rng(9);
    const layer = new Linear(4, 2, { rng });
    const x = randn(24, rng);
    const r = randn(12, rng);
    expect(layer.forward(x, [2, 3, 4]).shape).toEqual([2, 3, 2]);
    layer.backward(r);
    const once = Float32Array.from(layer.weight.grad);
    layer.backward(r);
    expect(
      maxRelError(
        layer.weight.grad,
        once.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-6);
  });
});

describe("Linear options", () => {
  it("unknown option keys are errors", () => {
    expect(() => new Linear(2, 2, { biass: false } as never)).toThrow(
      /Linear options has an unknown key "biass"/,
    );
  });
});
