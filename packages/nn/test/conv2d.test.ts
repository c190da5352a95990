import { Rng } from "@quantkit/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Conv2d } from "../src/index";
import { conv2dRef, dot, f64, maxRelError, numericGrad, randn, TOL } from "./_reference";

describe("Conv2d, known answers", () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]); // a 3x3 image
  it("a 2x2 kernel [[1, 2], [3, 4]] over 1..9 by hand", () => {
    const conv = new Conv2d(1, 1, 2, { bias: false });
    conv.weight.data.set([1, 2, 3, 4]);
    const y = conv.forward(x, [1, 1, 3, 3]);
    // 1+4+12+20, 2+6+15+24, 4+10+21+32, 5+12+24+36
    expect(Array.from(y.data)).toEqual([37, 47, 67, 77]);
  });
  it("padding 1, stride 2: the corner windows see mostly padding", () => {
    const conv = new Conv2d(1, 1, 2, { padding: 1, stride: 2 });
    conv.weight.data.set([1, 2, 3, 4]);
    conv.bias!.data.set([10]);
    // (-1,-1): 1*4; (-1,1): 2*3 + 3*4; (1,-1): 4*2 + 7*4; (1,1): 5+12+24+36; plus bias 10
    expect(Array.from(conv.forward(x, [1, 1, 3, 3]).data)).toEqual([14, 28, 46, 87]);
  });
  it("groups: each group of output channels sees only its input channels", () => {
    const conv = new Conv2d(2, 2, 1, { groups: 2, bias: false });
    conv.weight.data.set([2, 3]);
    expect(Array.from(conv.forward(new Float32Array([1, 2, 10, 20]), [1, 2, 1, 2]).data)).toEqual([
      2, 4, 30, 60,
    ]);
  });
  it("output sizes equal PyTorch's for stride, padding and dilation", () => {
    const size = (k: number, s: number, p: number, d: number, h: number) =>
      new Conv2d(1, 1, k, { stride: s, padding: p, dilation: d }).forward(new Float32Array(h * h), [
        1,
        1,
        h,
        h,
      ]).shape[3];
    // torch.nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, h, h)).shape[-1]
    expect(size(5, 2, 2, 1, 28)).toBe(14);
    expect(size(3, 1, 0, 2, 28)).toBe(24);
    expect(size(3, 3, 1, 1, 7)).toBe(3);
    const same = new Conv2d(1, 1, [2, 4], { padding: "same" });
    expect(same.forward(new Float32Array(35), [1, 1, 5, 7]).shape).toEqual([1, 1, 5, 7]);
    expect([
      same.geometry.padTop,
      same.geometry.padBottom,
      same.geometry.padLeft,
      same.geometry.padRight,
    ]).toEqual([0, 1, 1, 2]);
  });
  it("clear errors", () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      new RangeError("groups (2) must divide inChannels (3) and outChannels (4)"),
    );
    expect(() => new Conv2d(3, 3, 3, { groups: 0 })).toThrow(
      new RangeError("groups must be a positive integer, got 0"),
    );
    expect(() => new Conv2d(1, 1, 3, { padding: "same", stride: 2 })).toThrow(
      "padding 'same' needs stride 1, as in PyTorch",
    );
    expect(() => new Conv2d(2, 1, 3).forward(new Float32Array(9), [1, 1, 3, 3])).toThrow(
      "conv2d: input must be NCHW [N, 2, H, W], got [1, 1, 3, 3]",
    );
    expect(() => new Conv2d(1, 1, 5).forward(new Float32Array(9), [1, 1, 3, 3])).toThrow(
      /smaller than the \(dilated\) kernel/,
    );
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

describe("Conv2d options and geometry errors", () => {
  it("unknown option keys are errors", () => {
    expect(() => new Conv2d(1, 1, 3, { pading: 1 } as never)).toThrow(
      /Conv2d options has an unknown key "pading"/,
    );
  });
  it("a conv whose padding needs more memory than exists says so, naming the layer", () => {
    const conv = new Conv2d(1, 1, 3, { padding: 1_000_000, seed: 0 });
    expect(() => conv.forward(new Float32Array(4), [1, 1, 2, 2])).toThrow(
      /Conv2d\(1, 1, kernel_size=\(3, 3\), stride=\(1, 1\), padding=\(1000000, 1000000\)\): input \[1, 1, 2, 2\] needs buffers larger than memory allows/,
    );
  });
});
