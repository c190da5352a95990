import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { BatchNorm2d } from "../src/index";
import { batchNormRef, dot, f64, maxRelError, numericGrad, randn, TOL } from "./_reference";

describe("BatchNorm2d equals torch.nn.BatchNorm2d", () => {
  // x: channel 0 = [1, 2, 3, 4], channel 1 = [-1, 0, 0.5, 8]
  const x = new Float32Array([1, 2, 3, 4, -1, 0, 0.5, 8]);
  const shape = [1, 2, 2, 2];
  it("training: batch statistics, momentum 0.1 running stats with the unbiased variance", () => {
    const bn = new BatchNorm2d(2);
    const y = bn.forward(x, shape);
    const torchY = [
      -1.3416353464126587, -0.44721174240112305, 0.4472118616104126, 1.3416354656219482, -0.8036847114562988,
      -0.5241422057151794, -0.38437095284461975, 1.7121977806091309,
    ];
    expect(maxRelError(y.data, torchY)).toBeLessThan(1e-6);
    expect(maxRelError(bn.runningMean!, [0.25, 0.1875])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [1.066666603088379, 2.606250047683716])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(bn.numBatchesTracked[0]).toBe(1n);
    bn.forward(
      x.map((v) => 2 * v),
      shape,
    );
    expect(maxRelError(bn.runningMean!, [0.7250000238418579, 0.543749988079071])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [1.62666654586792, 9.170624732971191])).toBeLessThan(2.5e-7); // two float32 ulps
  });
  it("momentum null: a cumulative average over batches", () => {
    const bn = new BatchNorm2d(2, { momentum: null });
    bn.forward(x, shape);
    bn.forward(
      x.map((v) => 2 * v),
      shape,
    );
    expect(maxRelError(bn.runningMean!, [3.75, 2.8125])).toBeLessThan(2.5e-7); // two float32 ulps
    expect(maxRelError(bn.runningVar!, [4.166666507720947, 42.65625])).toBeLessThan(2.5e-7); // two float32 ulps
  });
  it("eval: running statistics, no update", () => {
    const bn = new BatchNorm2d(2).eval();
    bn.runningMean!.set([1, 0]);
    bn.runningVar!.set([4, 1]);
    const y = bn.forward(x, shape);
    expect(y.data[0]).toBeCloseTo(0, 6);
    expect(y.data[3]).toBeCloseTo(3 / Math.sqrt(4 + 1e-5), 6);
    expect(Array.from(bn.runningMean!)).toEqual([1, 0]);
    expect(bn.numBatchesTracked[0]).toBe(0n);
  });
  it("one value per channel in training is an error, as in PyTorch", () => {
    expect(() => new BatchNorm2d(2).forward(new Float32Array(2), [1, 2, 1, 1])).toThrow(
      /expected more than 1 value per channel when training/,
    );
  });
});

describe("BatchNorm2d gradients", () => {
  const shape = [3, 2, 2, 3];
  const size = 36;
  it("training mode: batch statistics; dx, dgamma, dbeta equal central differences", () => {
    const rng = new Rng(12);
    const bn = new BatchNorm2d(2);
    bn.weight!.data.set([1.5, -0.7]);
    bn.bias!.data.set([0.2, 0.3]);
    const x = randn(size, rng, 2);
    const r = randn(size, rng);
    const G = f64(bn.weight!.data);
    const Bt = f64(bn.bias!.data);
    const y = bn.forward(x, shape);
    expect(maxRelError(y.data, batchNormRef(f64(x), shape, G, Bt, 1e-5))).toBeLessThan(1e-5);
    const gx = bn.backward(r);
    expect(
      maxRelError(
        gx,
        numericGrad((v) => dot(r, batchNormRef(v, shape, G, Bt, 1e-5)), f64(x)),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        bn.weight!.grad,
        numericGrad((v) => dot(r, batchNormRef(f64(x), shape, v, Bt, 1e-5)), G),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        bn.bias!.grad,
        numericGrad((v) => dot(r, batchNormRef(f64(x), shape, G, v, 1e-5)), Bt),
      ),
    ).toBeLessThan(TOL);
  });
  it("eval mode: running statistics; dx equals central differences", () => {
    const rng = new Rng(13);
    const bn = new BatchNorm2d(2);
    bn.runningMean!.set([0.5, -1]);
    bn.runningVar!.set([2, 0.25]);
    bn.weight!.data.set([0.9, 1.1]);
    bn.eval();
    const stats = { mean: f64(bn.runningMean!), variance: f64(bn.runningVar!) };
    const G = f64(bn.weight!.data);
    const Bt = f64(bn.bias!.data);
    const x = randn(size, rng);
    const r = randn(size, rng);
    const y = bn.forward(x, shape);
    expect(maxRelError(y.data, batchNormRef(f64(x), shape, G, Bt, 1e-5, stats))).toBeLessThan(1e-6);
    const gx = bn.backward(r);
    expect(
      maxRelError(
        gx,
        numericGrad((v) => dot(r, batchNormRef(v, shape, G, Bt, 1e-5, stats)), f64(x)),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        bn.weight!.grad,
        numericGrad((v) => dot(r, batchNormRef(f64(x), shape, v, Bt, 1e-5, stats)), G),
      ),
    ).toBeLessThan(TOL);
  });
});
