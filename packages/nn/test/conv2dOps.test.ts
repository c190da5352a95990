import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { type Conv2dGeometry, conv2dBackward, conv2dForward, conv2dOutputSize } from "../src/index";
import { conv2dRef, dot, f64, maxRelError, numericGrad, randn, TOL } from "./_reference";

function geometry(over: Partial<Conv2dGeometry> = {}): Conv2dGeometry {
  return {
    inChannels: 1,
    outChannels: 1,
    kernelH: 2,
    kernelW: 2,
    strideH: 1,
    strideW: 1,
    padTop: 0,
    padBottom: 0,
    padLeft: 0,
    padRight: 0,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
    ...over,
  };
}

describe("conv2dOutputSize", () => {
  it("floor((in + padding - dilation * (kernel - 1) - 1) / stride) + 1, per axis, as torch.nn.Conv2d", () => {
    // torch.nn.Conv2d(1, 1, (kH, kW), stride, padding, dilation)(torch.zeros(1, 1, H, W)).shape[-2:]
    expect(
      conv2dOutputSize(
        geometry({ kernelH: 3, kernelW: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1 }),
        28,
        28,
      ),
    ).toEqual({
      outH: 28,
      outW: 28,
    });
    expect(
      conv2dOutputSize(
        geometry({
          kernelH: 5,
          kernelW: 5,
          strideH: 2,
          strideW: 2,
          padTop: 2,
          padBottom: 2,
          padLeft: 2,
          padRight: 2,
        }),
        28,
        28,
      ),
    ).toEqual({ outH: 14, outW: 14 });
    expect(
      conv2dOutputSize(geometry({ kernelH: 3, kernelW: 3, dilationH: 2, dilationW: 3 }), 28, 20),
    ).toEqual({
      outH: 24,
      outW: 14,
    });
    expect(
      conv2dOutputSize(
        geometry({ kernelH: 3, kernelW: 1, strideH: 3, strideW: 2, padTop: 1, padBottom: 1 }),
        7,
        6,
      ),
    ).toEqual({
      outH: 3,
      outW: 3,
    });
  });
  it("asymmetric padding ('same' with an even kernel pads one more at the bottom and right)", () => {
    const g = geometry({ kernelH: 2, kernelW: 4, padTop: 0, padBottom: 1, padLeft: 1, padRight: 2 });
    expect(conv2dOutputSize(g, 5, 7)).toEqual({ outH: 5, outW: 7 });
  });
  it("an input smaller than the dilated kernel is an error with the sizes", () => {
    expect(() =>
      conv2dOutputSize(geometry({ kernelH: 3, kernelW: 3, dilationH: 2, dilationW: 2 }), 4, 9),
    ).toThrow(
      "conv2d: input 4x9 is smaller than the (dilated) kernel 3x3 with this padding; output would be 0x5",
    );
  });
});

describe("conv2dForward (F.conv2d)", () => {
  it("the example by hand: a 2x2 kernel of ones sums each 2x2 window of 1..9", () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const y = conv2dForward(x, [1, 1, 3, 3], new Float32Array([1, 1, 1, 1]), null, geometry());
    expect(Array.from(y.data)).toEqual([12, 16, 24, 28]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
  });
  it.each([
    {
      name: "groups 2, stride 2, pad 1",
      n: 2,
      c: 4,
      h: 6,
      w: 5,
      g: {
        outChannels: 6,
        kernelH: 3,
        kernelW: 3,
        strideH: 2,
        strideW: 2,
        padTop: 1,
        padBottom: 1,
        padLeft: 1,
        padRight: 1,
        groups: 2,
      },
    },
    {
      name: "dilation (2, 1), uneven padding",
      n: 1,
      c: 2,
      h: 7,
      w: 6,
      g: {
        outChannels: 3,
        kernelH: 3,
        kernelW: 2,
        dilationH: 2,
        padTop: 1,
        padBottom: 2,
        padLeft: 0,
        padRight: 1,
      },
    },
  ])("$name: equals the float64 loops, with and without bias", ({ n, c, h, w, g: over }) => {
    const rng = new Rng(h * 13 + w);
    const g = geometry({ inChannels: c, ...over });
    const shape = [n, c, h, w];
    const x = randn(n * c * h * w, rng);
    const weight = randn((g.outChannels * c * g.kernelH * g.kernelW) / g.groups, rng);
    const bias = randn(g.outChannels, rng);
    for (const b of [bias, null]) {
      const y = conv2dForward(x, shape, weight, b, g);
      const ref = conv2dRef(f64(x), shape, f64(weight), b === null ? null : f64(b), g);
      expect(y.shape).toEqual(ref.shape);
      expect(maxRelError(y.data, ref.y)).toBeLessThan(1e-6);
    }
  });
  it("a wrong input layout or weight size is an error with the shapes", () => {
    expect(() =>
      conv2dForward(new Float32Array(18), [1, 2, 3, 3], new Float32Array(4), null, geometry()),
    ).toThrow("conv2d: input must be NCHW [N, 1, H, W], got [1, 2, 3, 3]");
    expect(() =>
      conv2dForward(new Float32Array(9), [1, 1, 3, 3], new Float32Array(3), null, geometry()),
    ).toThrow("conv2d: weight has 3 elements, expected [1, 1, 2, 2]");
  });
});

describe("conv2dBackward", () => {
  it("the example by hand: dW is each weight's window sum, dx counts the windows over each pixel", () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const gradWeight = new Float32Array(4);
    const gradBias = new Float32Array(1);
    const gx = conv2dBackward(
      new Float32Array(4).fill(1),
      x,
      [1, 1, 3, 3],
      new Float32Array(4).fill(1),
      gradWeight,
      gradBias,
      geometry(),
    );
    expect(Array.from(gradWeight)).toEqual([12, 16, 24, 28]);
    expect(Array.from(gx!)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
    expect(Array.from(gradBias)).toEqual([4]);
  });
  it("dx, dW, db equal central differences of the float64 loops (groups, stride, padding); needInput false skips dx", () => {
    const rng = new Rng(29);
    const g = geometry({
      inChannels: 4,
      outChannels: 2,
      kernelH: 3,
      kernelW: 2,
      strideH: 2,
      padTop: 1,
      padBottom: 1,
      padLeft: 1,
      groups: 2,
    });
    const shape = [2, 4, 5, 4];
    const x = randn(2 * 4 * 5 * 4, rng);
    const weight = randn(2 * 2 * 3 * 2, rng);
    const bias = randn(2, rng);
    const y = conv2dForward(x, shape, weight, bias, g);
    const r = randn(y.data.length, rng);
    const gw = new Float32Array(weight.length);
    const gb = new Float32Array(2);
    const gx = conv2dBackward(r, x, shape, weight, gw, gb, g)!;
    const W = f64(weight);
    const B = f64(bias);
    expect(
      maxRelError(
        gx,
        numericGrad((v) => dot(r, conv2dRef(v, shape, W, B, g).y), f64(x)),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        gw,
        numericGrad((v) => dot(r, conv2dRef(f64(x), shape, v, B, g).y), W),
      ),
    ).toBeLessThan(TOL);
    expect(
      maxRelError(
        gb,
        numericGrad((v) => dot(r, conv2dRef(f64(x), shape, W, v, g).y), B),
      ),
    ).toBeLessThan(TOL);
    const once = Float32Array.from(gw);
    expect(conv2dBackward(r, x, shape, weight, gw, null, g, false)).toBe(undefined);
    expect(
      maxRelError(
        gw,
        once.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-6);
  });
  it("a gradient of the wrong size is an error", () => {
    expect(() =>
      conv2dBackward(
        new Float32Array(3),
        new Float32Array(9),
        [1, 1, 3, 3],
        new Float32Array(4),
        null,
        null,
        geometry(),
      ),
    ).toThrow("conv2d backward: gradOut has 3 elements, expected 4");
  });
});
