import { describe, expect, it } from "vitest";
import { prepareQuantizedConv2d, quantizedConv2d } from "../src/index";
import { cpuBackends } from "./_backends";
import { geometries, groupedConvParams, lazy, options, windowSumLayer } from "./_convGeometries";
import { type RefConv, refQuantizedConv2d, TestRng } from "./_reference";

const backends = cpuBackends();

describe("quantizedConv2d", () => {
  it("works the documented example by hand: 2 x 2 window sums", () => {
    const layer = windowSumLayer();
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

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals a direct (seven-loop, no im2col) integer reference over stride, padding, dilation, groups`, () => {
      for (const { g, layer, x, want } of quantCases()) {
        expect(
          kernels.quantizedConv2d(x, layer, { batch: g.batch, height: g.height, width: g.width }),
        ).toEqual(want);
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
    const params = groupedConvParams();
    const layer = prepareQuantizedConv2d(params);
    expect(() => quantizedConv2d(new Uint8Array(4 * 25), layer, { batch: 1, height: 5, width: 4 })).toThrow(
      /x must have length batch \* inChannels \* height \* width \(1 \* 4 \* 5 \* 4\) = 80, got 100/,
    );
    expect(() => quantizedConv2d(new Uint8Array(4 * 4), layer, { batch: 1, height: 2, width: 2 })).toThrow(
      /input height 2 with padding 0 is smaller than the dilated kernel \(3\)/,
    );
    expect(() =>
      quantizedConv2d(new Uint8Array(100), layer, { batch: 1.5, height: 5, width: 5 } as never),
    ).toThrow(/input.batch/);
  });
});

// Issue 15, item 2: a prepared layer's plan (folded bias, packed weight, resident WebAssembly copies) was
// keyed by array identity, so an in-place edit of layer.weight or layer.bias gave the old result on every
// backend. Plans are now verified by a checksum of weight, bias, multiplier and shift on every call.
describe("prepared layers see in-place edits of their arrays", () => {
  it("quantizedConv2d follows layer.weight edited in place, on every backend", () => {
    for (const { name, kernels } of [...backends, { name: "default", kernels: { quantizedConv2d } }]) {
      const layer = windowSumLayer();
      const x = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const g = { batch: 1, height: 3, width: 3 };
      expect(Array.from(kernels.quantizedConv2d(x, layer, g)), name).toEqual([12, 16, 24, 28]);
      layer.weight[0] = 2; // the top-left tap counts twice: + x[i][j]
      expect(Array.from(kernels.quantizedConv2d(x, layer, g)), name).toEqual([13, 18, 28, 33]);
    }
  });
});
