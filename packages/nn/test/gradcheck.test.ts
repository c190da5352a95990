import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchNorm2d,
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
} from "../src/index";
import {
  batchNormRef,
  conv2dRef,
  crossEntropyRef,
  dot,
  f64,
  linearRef,
  maxPoolRef,
  maxRelError,
  numericGrad,
} from "./_reference";

// Every backward is checked against central differences of an independent float64 reference
// (plain loops), so the numerical gradient is accurate to ~1e-9 and the tolerance only has to
// absorb the layers' float32 storage.
const TOL = 2e-4;

function randn(n: number, rng: Rng, scale = 1): Float32Array {
  return rng.fillNormal(new Float32Array(n), 0, scale);
}

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

describe("Conv2d gradients (stride, padding, dilation, groups)", () => {
  const configs = [
    { name: "3x3 pad 1", n: 2, c: 2, h: 5, w: 5, o: 3, k: [3, 3], opts: { padding: 1 } },
    { name: "stride 2, 2x3 kernel", n: 1, c: 1, h: 6, w: 7, o: 2, k: [2, 3], opts: { stride: 2 } },
    {
      name: "dilation 2, pad (2, 1)",
      n: 1,
      c: 2,
      h: 7,
      w: 6,
      o: 2,
      k: [3, 3],
      opts: { dilation: 2, padding: [2, 1] },
    },
    {
      name: "groups 2, no bias",
      n: 2,
      c: 4,
      h: 4,
      w: 4,
      o: 6,
      k: [3, 3],
      opts: { groups: 2, padding: 1, bias: false },
    },
    {
      name: "depthwise, stride 2, pad 1",
      n: 1,
      c: 3,
      h: 5,
      w: 5,
      o: 3,
      k: [3, 3],
      opts: { groups: 3, stride: 2, padding: 1 },
    },
    {
      name: "'same' with an even kernel",
      n: 1,
      c: 1,
      h: 5,
      w: 4,
      o: 2,
      k: [2, 4],
      opts: { padding: "same" },
    },
    { name: "1x1", n: 2, c: 3, h: 2, w: 3, o: 2, k: [1, 1], opts: {} },
  ] as const;
  it.each(configs)(
    "$name: forward equals direct loops, dx/dW/db equal central differences",
    ({ n, c, h, w, o, k, opts }) => {
      const rng = new Rng(h * 31 + w);
      const conv = new Conv2d(c, o, k as [number, number], { ...opts, rng });
      const shape = [n, c, h, w];
      const x = randn(n * c * h * w, rng);
      const y = conv.forward(x, shape);
      const W = f64(conv.weight.data);
      const B = conv.bias === null ? null : f64(conv.bias.data);
      const g = conv.geometry;
      const ref = conv2dRef(f64(x), shape, W, B, g);
      expect(y.shape).toEqual(ref.shape);
      expect(maxRelError(y.data, ref.y)).toBeLessThan(1e-6);
      const r = randn(y.data.length, rng);
      const gx = conv.backward(r);
      expect(
        maxRelError(
          gx,
          numericGrad((v) => dot(r, conv2dRef(v, shape, W, B, g).y), f64(x)),
        ),
      ).toBeLessThan(TOL);
      expect(
        maxRelError(
          conv.weight.grad,
          numericGrad((v) => dot(r, conv2dRef(f64(x), shape, v, B, g).y), W),
        ),
      ).toBeLessThan(TOL);
      if (B !== null) {
        expect(
          maxRelError(
            conv.bias!.grad,
            numericGrad((v) => dot(r, conv2dRef(f64(x), shape, W, v, g).y), B),
          ),
        ).toBeLessThan(TOL);
      }
    },
  );
  it("forward equals the direct loops for random geometries (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 2 }),
          groups: fc.integer({ min: 1, max: 3 }),
          cg: fc.integer({ min: 1, max: 2 }),
          og: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 1, max: 7 }),
          w: fc.integer({ min: 1, max: 7 }),
          kh: fc.integer({ min: 1, max: 3 }),
          kw: fc.integer({ min: 1, max: 3 }),
          sh: fc.integer({ min: 1, max: 3 }),
          sw: fc.integer({ min: 1, max: 3 }),
          ph: fc.integer({ min: 0, max: 2 }),
          pw: fc.integer({ min: 0, max: 2 }),
          dh: fc.integer({ min: 1, max: 2 }),
          dw: fc.integer({ min: 1, max: 2 }),
          seed: fc.nat(),
        }),
        (p) => {
          if (p.h + 2 * p.ph < p.dh * (p.kh - 1) + 1 || p.w + 2 * p.pw < p.dw * (p.kw - 1) + 1) return;
          const rng = new Rng(p.seed);
          const conv = new Conv2d(p.cg * p.groups, p.og * p.groups, [p.kh, p.kw], {
            stride: [p.sh, p.sw],
            padding: [p.ph, p.pw],
            dilation: [p.dh, p.dw],
            groups: p.groups,
            rng,
          });
          const shape = [p.n, p.cg * p.groups, p.h, p.w];
          const x = randn(
            shape.reduce((a, b) => a * b),
            rng,
          );
          const y = conv.forward(x, shape);
          const ref = conv2dRef(f64(x), shape, f64(conv.weight.data), f64(conv.bias!.data), conv.geometry);
          expect(y.shape).toEqual(ref.shape);
          expect(maxRelError(y.data, ref.y)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 200 },
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

describe("ReLU and Flatten gradients", () => {
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
  it("Flatten passes the gradient through unchanged", () => {
    const flat = new Flatten();
    const x = new Float32Array(24);
    expect(flat.forward(x, [2, 3, 4]).shape).toEqual([2, 12]);
    const g = new Float32Array(24).fill(3);
    expect(flat.backward(g)).toBe(g);
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

describe("CrossEntropyLoss gradient", () => {
  it.each([0, 0.1])(
    "label smoothing %s: loss equals the float64 reference, dlogits equal central differences",
    (smoothing) => {
      const rng = new Rng(21);
      const n = 4;
      const c = 5;
      const z = randn(n * c, rng, 3);
      const target = [0, 4, 2, 2];
      const lossFn = new CrossEntropyLoss({ labelSmoothing: smoothing });
      const loss = lossFn.forward(z, [n, c], target);
      expect(loss).toBeCloseTo(crossEntropyRef(f64(z), n, c, target, smoothing), 10);
      const numeric = numericGrad((v) => crossEntropyRef(v, n, c, target, smoothing), f64(z));
      expect(maxRelError(lossFn.backward(), numeric)).toBeLessThan(1e-6);
    },
  );
});

describe("a whole model", () => {
  it("Conv-BN-ReLU-MaxPool-Flatten-Linear: the input gradient equals central differences of the loss", () => {
    const rng = new Rng(5);
    const model = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { padding: 1, rng })],
      ["bn", new BatchNorm2d(2)],
      ["relu", new ReLU()],
      ["pool", new MaxPool2d(2)],
      ["flatten", new Flatten()],
      ["fc", new Linear(8, 3, { rng })],
    ]).eval();
    // eval mode: BN uses running statistics, so the function of x is fixed
    const bn = model.get("bn") as BatchNorm2d;
    bn.runningMean!.set([0.1, -0.2]);
    bn.runningVar!.set([1.3, 0.8]);
    const shape = [2, 1, 4, 4];
    const x = randn(32, rng);
    const target = [1, 2];
    const lossFn = new CrossEntropyLoss();
    const out = model.forward(x, shape);
    lossFn.forward(out.data, out.shape, target);
    const gx = model.backward(lossFn.backward());
    // float32 forward: differences need a larger step, and the tolerance follows
    const h = 1e-2;
    const num = new Float64Array(32);
    for (let i = 0; i < 32; i++) {
      const xp = Float32Array.from(x);
      xp[i] = xp[i]! + h;
      const xm = Float32Array.from(x);
      xm[i] = xm[i]! - h;
      const lp = lossFn.forward(model.forward(xp, shape).data, [2, 3], target);
      const lm = lossFn.forward(model.forward(xm, shape).data, [2, 3], target);
      num[i] = (lp - lm) / (2 * h);
    }
    expect(maxRelError(gx, num)).toBeLessThan(5e-3);
  });
});
