import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { ReLU } from "../src/index";
import { dot, f64, maxRelError, numericGrad, randn, TOL } from "./_reference";

describe("ReLU", () => {
  it("ReLU zeroes negatives (and 0's gradient), keeps NaN", () => {
    const relu = new ReLU();
    expect(Array.from(relu.forward(new Float32Array([-1, 0, 2, Number.NaN]), [4]).data)).toEqual([
      0,
      0,
      2,
      Number.NaN,
    ]);
    expect(Array.from(relu.backward(new Float32Array([5, 5, 5, 5])))).toEqual([0, 0, 5, 0]);
  });

  it("ReLU: dx equals central differences away from the kink", () => {
    const rng = new Rng(4);
    const x = randn(50, rng).map((v) => (Math.abs(v) < 0.01 ? 0.5 : v));
    const r = randn(50, rng);
    const relu = new ReLU();
    relu.forward(x, [5, 10]);
    const ref = (v: Float64Array) =>
      dot(
        r,
        v.map((t) => Math.max(t, 0)),
      );
    expect(maxRelError(relu.backward(r), numericGrad(ref, f64(x)))).toBeLessThan(TOL);
  });
});
