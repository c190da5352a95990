import { describe, expect, it } from "vitest";
import { conv2dF32, im2col, prepareQuantizedConv2d, quantizedConv2d } from "../src/index";
import { cpuBackends } from "./_backends";
import { type RefConv, refConv2dF32, refQuantizedConv2d, TestRng } from "./_reference";

const backends = cpuBackends();

/** Geometries covering stride, padding, dilation, groups (depthwise too), non-square kernels, 1x1. */
const geometries: RefConv[] = [
  {
    batch: 1,
    inChannels: 1,
    height: 3,
    width: 3,
    outChannels: 1,
    kernelH: 2,
    kernelW: 2,
    strideH: 1,
    strideW: 1,
    padH: 0,
    padW: 0,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
  },
  {
    batch: 2,
    inChannels: 3,
    height: 9,
    width: 7,
    outChannels: 5,
    kernelH: 3,
    kernelW: 3,
    strideH: 1,
    strideW: 1,
    padH: 1,
    padW: 1,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
  },
  {
    batch: 1,
    inChannels: 4,
    height: 11,
    width: 10,
    outChannels: 6,
    kernelH: 3,
    kernelW: 2,
    strideH: 2,
    strideW: 3,
    padH: 2,
    padW: 1,
    dilationH: 1,
    dilationW: 1,
    groups: 2,
  },
  {
    batch: 2,
    inChannels: 2,
    height: 12,
    width: 13,
    outChannels: 3,
    kernelH: 3,
    kernelW: 3,
    strideH: 1,
    strideW: 2,
    padH: 2,
    padW: 2,
    dilationH: 2,
    dilationW: 3,
    groups: 1,
  },
  {
    batch: 1,
    inChannels: 6,
    height: 8,
    width: 8,
    outChannels: 6,
    kernelH: 3,
    kernelW: 3,
    strideH: 1,
    strideW: 1,
    padH: 1,
    padW: 1,
    dilationH: 1,
    dilationW: 1,
    groups: 6,
  },
  {
    batch: 3,
    inChannels: 8,
    height: 5,
    width: 6,
    outChannels: 12,
    kernelH: 1,
    kernelW: 1,
    strideH: 1,
    strideW: 1,
    padH: 0,
    padW: 0,
    dilationH: 1,
    dilationW: 1,
    groups: 4,
  },
  {
    batch: 1,
    inChannels: 16,
    height: 14,
    width: 14,
    outChannels: 9,
    kernelH: 5,
    kernelW: 5,
    strideH: 1,
    strideW: 1,
    padH: 2,
    padW: 2,
    dilationH: 1,
    dilationW: 1,
    groups: 1,
  },
];

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const options = (g: RefConv) => ({
  kernelSize: [g.kernelH, g.kernelW] as [number, number],
  stride: [g.strideH, g.strideW] as [number, number],
  padding: [g.padH, g.padW] as [number, number],
  dilation: [g.dilationH, g.dilationW] as [number, number],
  groups: g.groups,
});

describe("quantizedConv2d", () => {
  it("works the documented example by hand: 2 x 2 window sums", () => {
    const layer = prepareQuantizedConv2d({
      weight: new Int8Array([1, 1, 1, 1]),
      inChannels: 1,
      outChannels: 1,
      kernelSize: 2,
      weightScale: 1,
      inputScale: 1,
      inputZeroPoint: 0,
      outputScale: 1,
      outputZeroPoint: 0,
    });
    const x = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const { kernels } of backends) {
      expect(Array.from(kernels.quantizedConv2d(x, layer, { batch: 1, height: 3, width: 3 }))).toEqual([
        12, 16, 24, 28,
      ]);
    }
    expect(Array.from(quantizedConv2d(x, layer, { batch: 1, height: 3, width: 3 }))).toEqual([
      12, 16, 24, 28,
    ]);
  });

  it("pads with the input zero point: a padded border contributes exactly 0.0", () => {
    // zero point 100: a constant image of 100 is 0.0 everywhere; with bias 0.5 every output is 0.5.
    const layer = prepareQuantizedConv2d({
      weight: new Int8Array(9).fill(127),
      inChannels: 1,
      outChannels: 1,
      kernelSize: 3,
      padding: 1,
      weightScale: 0.01,
      inputScale: 0.1,
      inputZeroPoint: 100,
      bias: new Float32Array([0.5]),
      outputScale: 0.25,
      outputZeroPoint: 10,
    });
    for (const { kernels } of backends) {
      const y = kernels.quantizedConv2d(new Uint8Array(16).fill(100), layer, {
        batch: 1,
        height: 4,
        width: 4,
      });
      expect(Array.from(y)).toEqual(new Array(16).fill(12)); // 0.5 / 0.25 = 2, + 10
    }
  });

  /** Seeded cases and their references, built once and shared by the backends' tests. */
  const quantCases = lazy(() => {
    const rng = new TestRng(61);
    return geometries.flatMap((g) =>
      [false, true].map((perChannel) => {
        const cg = g.inChannels / g.groups;
        const layer = prepareQuantizedConv2d({
          weight: rng.int8(g.outChannels * cg * g.kernelH * g.kernelW),
          inChannels: g.inChannels,
          outChannels: g.outChannels,
          ...options(g),
          weightScale: perChannel
            ? new Float32Array(g.outChannels).map((_, c) => 0.002 * (1 + c / 7))
            : 0.003,
          inputScale: 0.02,
          inputZeroPoint: rng.int(0, 255),
          bias: rng.float32(g.outChannels),
          outputScale: 0.04,
          outputZeroPoint: rng.int(0, 255),
          relu: perChannel,
        });
        const x = rng.uint8(g.batch * g.inChannels * g.height * g.width);
        return { g, layer, x, want: refQuantizedConv2d(g, x, layer) };
      }),
    );
  });
  const floatCases = lazy(() => {
    const rng = new TestRng(62);
    return geometries.flatMap((g) => {
      const cg = g.inChannels / g.groups;
      const w = rng.float32(g.outChannels * cg * g.kernelH * g.kernelW);
      const x = rng.float32(g.batch * g.inChannels * g.height * g.width);
      return [undefined, rng.float32(g.outChannels)].map((bias) => ({
        g,
        w,
        x,
        bias,
        want: refConv2dF32(g, x, w, bias),
      }));
    });
  });

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals a direct (seven-loop, no im2col) integer reference over stride, padding, dilation, groups`, () => {
      for (const { g, layer, x, want } of quantCases()) {
        expect(
          kernels.quantizedConv2d(x, layer, { batch: g.batch, height: g.height, width: g.width }),
        ).toEqual(want);
      }
    });

    it(`on ${name}: conv2dF32 equals the direct float32 reference bit for bit`, () => {
      for (const { g, w, x, bias, want } of floatCases()) {
        const got = kernels.conv2dF32(x, w, { ...g, ...options(g), bias });
        expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(want.buffer));
      }
    });
  }

  it("is exact on extreme codes (all 255 against weights all -128, 64 channels of 5 x 5)", () => {
    const g: RefConv = {
      batch: 1,
      inChannels: 64,
      height: 6,
      width: 6,
      outChannels: 5,
      kernelH: 5,
      kernelW: 5,
      strideH: 1,
      strideW: 1,
      padH: 2,
      padW: 2,
      dilationH: 1,
      dilationW: 1,
      groups: 1,
    };
    const layer = prepareQuantizedConv2d({
      weight: new Int8Array(5 * 64 * 25).fill(-128),
      inChannels: 64,
      outChannels: 5,
      kernelSize: 5,
      padding: 2,
      weightScale: 0.001,
      inputScale: 0.01,
      inputZeroPoint: 0,
      outputScale: 1,
      outputZeroPoint: 128,
    });
    const x = new Uint8Array(64 * 36).fill(255);
    const want = refQuantizedConv2d(g, x, layer);
    for (const { kernels } of backends)
      expect(kernels.quantizedConv2d(x, layer, { batch: 1, height: 6, width: 6 })).toEqual(want);
  });

  it("clamps the output codes to [outputMin, outputMax] (a 4-bit activation), the ReLU raising outputMin", () => {
    // A 1x1 convolution that copies its one channel (weight 127 at scale 1/127, scales 0.1), zero point 4.
    const params = {
      weight: new Int8Array([127]),
      inChannels: 1,
      outChannels: 1,
      kernelSize: 1,
      weightScale: 1 / 127,
      inputScale: 0.1,
      inputZeroPoint: 10,
      outputScale: 0.1,
      outputZeroPoint: 4,
      outputMin: 1,
      outputMax: 15,
    };
    const plain = prepareQuantizedConv2d(params);
    const relu = prepareQuantizedConv2d({ ...params, relu: true });
    expect([plain.outputMin, plain.outputMax, relu.outputMin, relu.outputMax]).toEqual([1, 15, 4, 15]);
    // x codes 0, 8, 12, 30: output codes 4 + (x - 10) = -6, 2, 6, 24.
    const x = new Uint8Array([0, 8, 12, 30]);
    const shape = { batch: 1, height: 2, width: 2 };
    for (const { kernels } of backends) {
      expect(Array.from(kernels.quantizedConv2d(x, plain, shape))).toEqual([1, 2, 6, 15]);
      expect(Array.from(kernels.quantizedConv2d(x, relu, shape))).toEqual([4, 4, 6, 15]);
    }
    expect(() => prepareQuantizedConv2d({ ...params, outputMin: 16, outputMax: 15 })).toThrow(
      new RangeError("outputMin (16) must be <= outputMax (15)"),
    );
    expect(() => prepareQuantizedConv2d({ ...params, outputMax: 300 })).toThrow(
      new RangeError("outputMax must be an integer in [0, 255] (uint8), got 300"),
    );
    expect(() => prepareQuantizedConv2d({ ...params, outputMax: 3, relu: true })).toThrow(
      /^outputMax \(3\) must be >= outputZeroPoint \(4\) with relu/,
    );
  });

  it("rejects bad input, naming the argument", () => {
    const params = {
      weight: new Int8Array(4 * 2 * 9),
      inChannels: 4,
      outChannels: 4,
      kernelSize: 3,
      groups: 2,
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 0,
    };
    const layer = prepareQuantizedConv2d(params);
    expect(() => prepareQuantizedConv2d({ ...params, groups: 3 })).toThrow(
      /groups \(3\) must divide inChannels \(4\) and outChannels \(4\)/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, weight: new Int8Array(10) })).toThrow(
      /weight must have length outChannels \* \(inChannels \/ groups\)/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, kernelSize: 0 })).toThrow(
      /kernelSize must be a positive integer, got 0/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, padding: -1 })).toThrow(
      /padding must be a non-negative integer, got -1/,
    );
    expect(() => prepareQuantizedConv2d({ ...params, stride: [1, 1.5] })).toThrow(
      /stride\[1\] must be a positive integer, got 1.5/,
    );
    expect(() => quantizedConv2d(new Uint8Array(4 * 25), layer, { batch: 1, height: 5, width: 4 })).toThrow(
      /x must have length batch \* inChannels \* height \* width \(1 \* 4 \* 5 \* 4\) = 80, got 100/,
    );
    expect(() => quantizedConv2d(new Uint8Array(4 * 4), layer, { batch: 1, height: 2, width: 2 })).toThrow(
      /input height 2 with padding 0 is smaller than the dilated kernel \(3\)/,
    );
    expect(() =>
      quantizedConv2d(new Uint8Array(100), layer, { batch: 1.5, height: 5, width: 5 } as never),
    ).toThrow(/input.batch/);
    expect(() =>
      conv2dF32(new Float32Array(9), new Float32Array(4), {
        batch: 1,
        inChannels: 1,
        height: 3,
        width: 3,
        outChannels: 1,
        kernelSize: 3,
        dilation: 2,
      }),
    ).toThrow(/smaller than the dilated kernel \(5\)/);
    expect(() =>
      conv2dF32(new Float32Array(9), new Float32Array(4), {
        batch: 1,
        inChannels: 1,
        height: 3,
        width: 3,
        outChannels: 1,
        kernelSize: 2,
        bias: new Float32Array(2),
      }),
    ).toThrow(/bias must have length outChannels = 1, got 2/);
  });
});

describe("im2col", () => {
  it("lays out PyTorch's unfold order (the documented example)", () => {
    const y = im2col(new Float32Array([1, 2, 3, 4]), {
      channels: 1,
      height: 2,
      width: 2,
      kernelSize: 2,
      padding: 1,
      stride: 2,
    });
    expect(Array.from(y)).toEqual([0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0]);
  });

  it("equals a per-element reference on every geometry, with the pad value where the window leaves the image", () => {
    const rng = new TestRng(63);
    for (const g of geometries) {
      const x = rng.uint8(g.inChannels * g.height * g.width);
      const { groups: _groups, ...geometry } = options(g); // im2col is per image: no groups
      const y = im2col(x, {
        channels: g.inChannels,
        height: g.height,
        width: g.width,
        ...geometry,
        padValue: 77,
      });
      const oh = Math.floor((g.height + 2 * g.padH - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
      const ow = Math.floor((g.width + 2 * g.padW - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
      expect(y.length).toBe(g.inChannels * g.kernelH * g.kernelW * oh * ow);
      let r = 0;
      for (let c = 0; c < g.inChannels; c++) {
        for (let i = 0; i < g.kernelH; i++) {
          for (let j = 0; j < g.kernelW; j++, r++) {
            for (let p = 0; p < oh * ow; p++) {
              const ih = Math.floor(p / ow) * g.strideH - g.padH + i * g.dilationH;
              const iw = (p % ow) * g.strideW - g.padW + j * g.dilationW;
              const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
              const want = inside ? x[(c * g.height + ih) * g.width + iw]! : 77;
              if (y[r * oh * ow + p] !== want)
                expect({ r, p, got: y[r * oh * ow + p] }).toEqual({ r, p, got: want });
            }
          }
        }
      }
    }
  });

  it("keeps the input's array type and writes into `out`", () => {
    const x = new Int8Array([-1, 2, -3, 4]);
    const out = new Int8Array(4);
    expect(im2col(x, { channels: 1, height: 2, width: 2, kernelSize: 1 }, out)).toBe(out);
    expect(Array.from(out)).toEqual([-1, 2, -3, 4]);
    expect(() =>
      im2col(x, { channels: 1, height: 2, width: 2, kernelSize: 1 }, new Uint8Array(4) as never),
    ).toThrow(/out must be a Int8Array like x, got Uint8Array/);
    expect(() => im2col(x, { channels: 1, height: 3, width: 2, kernelSize: 1 })).toThrow(
      /x must have length channels \* height \* width/,
    );
    expect(() => im2col([1, 2] as never, { channels: 1, height: 1, width: 2, kernelSize: 1 })).toThrow(
      TypeError,
    );
  });
});
