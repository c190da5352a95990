import { describe, expect, it } from "vitest";
import {
  prepareQuantizedLinear,
  type QuantizedLinearLayer,
  quantizedLinear,
  quantizeMultiplier,
} from "../src/index";
import { cpuBackends } from "./_backends";
import { refQuantizedLinear, TestRng } from "./_reference";

const backends = cpuBackends();

function randomLayer(
  rng: TestRng,
  inFeatures: number,
  outFeatures: number,
  perChannel: boolean,
  relu: boolean,
): QuantizedLinearLayer {
  const weightScale = perChannel
    ? new Float32Array(outFeatures).map(() => 0.001 + rng.next() / 2 ** 32 / 50)
    : 0.001 + rng.next() / 2 ** 32 / 50;
  return prepareQuantizedLinear({
    weight: rng.int8(outFeatures * inFeatures),
    inFeatures,
    outFeatures,
    weightScale,
    inputScale: 0.02 + rng.next() / 2 ** 32 / 10,
    inputZeroPoint: rng.int(0, 255),
    bias: rng.float32(outFeatures, 2),
    outputScale: 0.05 + rng.next() / 2 ** 32,
    outputZeroPoint: rng.int(0, 255),
    relu,
  });
}

describe("quantizedLinear", () => {
  it("works the documented example by hand: (1.0, 2.0) through diag(1, -1)", () => {
    const layer = prepareQuantizedLinear({
      weight: new Int8Array([127, 0, 0, -127]),
      inFeatures: 2,
      outFeatures: 2,
      weightScale: 1 / 127,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 128,
    });
    for (const { kernels } of backends) {
      expect(Array.from(kernels.quantizedLinear(new Uint8Array([10, 20]), layer, 1))).toEqual([138, 108]);
    }
  });

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals the integer reference (per tensor / per channel, ReLU, odd sizes, batch 1..37)`, () => {
      const rng = new TestRng(31);
      for (const [inF, outF, batch] of [
        [1, 1, 1],
        [3, 5, 2],
        [17, 9, 37],
        [64, 8, 4],
        [100, 13, 1],
        [784, 100, 10],
      ] as const) {
        for (const perChannel of [false, true]) {
          for (const relu of [false, true]) {
            const layer = randomLayer(rng, inF, outF, perChannel, relu);
            const x = rng.uint8(batch * inF);
            expect(kernels.quantizedLinear(x, layer, batch)).toEqual(refQuantizedLinear(x, layer, batch));
          }
        }
      }
    });
  }

  it("is exact on extreme codes: x all 255 or 0 against weights all -128 or 127, 4,096 inputs", () => {
    const inFeatures = 4096;
    const outFeatures = 11;
    for (const [xv, wv, zIn] of [
      [255, -128, 0],
      [0, 127, 255],
      [255, 127, 0],
      [0, -128, 255],
    ] as const) {
      const layer = prepareQuantizedLinear({
        weight: new Int8Array(inFeatures * outFeatures).fill(wv),
        inFeatures,
        outFeatures,
        weightScale: 0.001,
        inputScale: 0.01,
        inputZeroPoint: zIn,
        bias: new Float32Array(outFeatures).fill(-0.25),
        outputScale: 0.3,
        outputZeroPoint: 128,
      });
      const x = new Uint8Array(3 * inFeatures).fill(xv);
      const want = refQuantizedLinear(x, layer, 3);
      for (const { kernels } of backends) expect(kernels.quantizedLinear(x, layer, 3)).toEqual(want);
    }
  });

  it("accepts a layer built by hand, and sees a replaced weight array (the packed cache is checked)", () => {
    const { multiplier, shift } = quantizeMultiplier(1 / 16);
    const layer: QuantizedLinearLayer = {
      inFeatures: 3,
      outFeatures: 2,
      weight: new Int8Array([1, 2, 3, -1, -2, -3]),
      inputZeroPoint: 10,
      outputZeroPoint: 50,
      bias: new Int32Array([16, -16]),
      multiplier: new Int32Array([multiplier]),
      shift: new Int32Array([shift]),
      outputMin: 0,
      outputMax: 255,
    };
    const x = new Uint8Array([42, 26, 18]); // x - 10 = [32, 16, 8]: sums 88 and -88, + bias 104 and -104
    for (const { kernels } of backends) {
      expect(Array.from(kernels.quantizedLinear(x, layer, 1))).toEqual([57, 43]); // 104 / 16 = 6.5 -> 7, -6.5 -> -7
      const replaced = { ...layer, weight: new Int8Array([0, 0, 0, 4, 0, 0]) };
      expect(Array.from(kernels.quantizedLinear(x, replaced, 1))).toEqual([51, 57]); // 1, (128 - 16) / 16 = 7
    }
  });

  it("rejects bad input, naming the argument", () => {
    const layer = prepareQuantizedLinear({
      weight: new Int8Array(6),
      inFeatures: 3,
      outFeatures: 2,
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 0,
    });
    expect(() => quantizedLinear(new Uint8Array(5), layer, 2)).toThrow(
      /x must have length batch \* inFeatures \(2 \* 3\) = 6, got 5/,
    );
    expect(() => quantizedLinear(new Int8Array(6) as never, layer, 2)).toThrow(
      /x must be a Uint8Array, got Int8Array/,
    );
    expect(() => quantizedLinear(new Uint8Array(6), layer, 2, new Uint8Array(3))).toThrow(
      /out must have length batch \* outFeatures/,
    );
    expect(() => quantizedLinear(new Uint8Array(6), layer, -2)).toThrow(
      /batch must be a non-negative integer, got -2/,
    );
    expect(() => quantizedLinear(new Uint8Array(6), { ...layer, bias: new Int32Array(3) }, 2)).toThrow(
      /layer.bias must have length/,
    );
    expect(() => quantizedLinear(new Uint8Array(6), { ...layer, outputZeroPoint: 300 }, 2)).toThrow(
      /layer.outputZeroPoint/,
    );
    expect(() => quantizedLinear(new Uint8Array(6), { ...layer, shift: new Int32Array([40]) }, 2)).toThrow(
      /layer.shift\[0\]/,
    );
    expect(quantizedLinear(new Uint8Array(0), layer, 0).length).toBe(0);
  });
});

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
});
