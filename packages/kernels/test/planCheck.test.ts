// Issue 15, item 2: a prepared layer's plan (folded bias, packed weight, resident WebAssembly copies) was
// keyed by array identity, so an in-place edit of layer.weight or layer.bias gave the old result on every
// backend. Plans are now verified by a checksum of weight, bias, multiplier and shift on every call.
import { describe, expect, it } from "vitest";
import {
  prepareQuantizedConv2d,
  prepareQuantizedLinear,
  quantizedConv2d,
  quantizedLinear,
} from "../src/index";
import { cpuBackends } from "./_backends";
import { refQuantizedLinear, TestRng } from "./_reference";

const backends = cpuBackends();

describe("prepared layers see in-place edits of their arrays", () => {
  it("quantizedLinear follows layer.weight, layer.bias and layer.multiplier edited in place, on every backend", () => {
    const rng = new TestRng(15);
    for (const { name, kernels } of [...backends, { name: "default", kernels: { quantizedLinear } }]) {
      const layer = prepareQuantizedLinear({
        weight: rng.int8(2 * 40),
        inFeatures: 40,
        outFeatures: 2,
        weightScale: 0.01,
        inputScale: 0.02,
        inputZeroPoint: 7,
        bias: new Float32Array([0.5, -0.25]),
        outputScale: 0.1,
        outputZeroPoint: 128,
      });
      const x = new Uint8Array(40).map((_, i) => (i * 37) % 256);
      expect(kernels.quantizedLinear(x, layer, 1), name).toEqual(refQuantizedLinear(x, layer, 1));
      layer.weight[3] = layer.weight[3]! === 127 ? -128 : 127;
      expect(kernels.quantizedLinear(x, layer, 1), `${name} after a weight edit`).toEqual(
        refQuantizedLinear(x, layer, 1),
      );
      layer.bias[0] = layer.bias[0]! + 5000;
      expect(kernels.quantizedLinear(x, layer, 1), `${name} after a bias edit`).toEqual(
        refQuantizedLinear(x, layer, 1),
      );
      layer.multiplier[0] = layer.multiplier[0]! - 2 ** 28;
      expect(kernels.quantizedLinear(x, layer, 1), `${name} after a multiplier edit`).toEqual(
        refQuantizedLinear(x, layer, 1),
      );
    }
  });

  it("quantizedConv2d follows layer.weight edited in place, on every backend", () => {
    for (const { name, kernels } of [...backends, { name: "default", kernels: { quantizedConv2d } }]) {
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
      const g = { batch: 1, height: 3, width: 3 };
      expect(Array.from(kernels.quantizedConv2d(x, layer, g)), name).toEqual([12, 16, 24, 28]);
      layer.weight[0] = 2; // the top-left tap counts twice: + x[i][j]
      expect(Array.from(kernels.quantizedConv2d(x, layer, g)), name).toEqual([13, 18, 28, 33]);
    }
  });
});
