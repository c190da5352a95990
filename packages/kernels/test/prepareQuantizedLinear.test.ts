import { describe, expect, it } from "vitest";
import { prepareQuantizedLinear, quantizedLinear, quantizeMultiplier } from "../src/index";
import { cpuBackends } from "./_backends";

const backends = cpuBackends();

describe("prepareQuantizedLinear", () => {
  // The documented example: real multiplier 0.02 * 0.01 / 0.05 = 0.004, bias [0.1, -0.2] -> [500, -1000].
  const example = {
    weight: new Int8Array([64, -32, 0, 127]),
    inFeatures: 2,
    outFeatures: 2,
    weightScale: 0.01,
    inputScale: 0.02,
    inputZeroPoint: 128,
    outputScale: 0.05,
    outputZeroPoint: 100,
  };

  it("quantizes the bias at scale s_in * s_w (round half to even) and the multiplier by quantizeMultiplier", () => {
    const layer = prepareQuantizedLinear({ ...example, bias: new Float32Array([0.1, -0.2]) });
    expect(Array.from(layer.bias)).toEqual([500, -1000]);
    const productScale = Math.fround(0.02 * 0.01);
    expect(quantizeMultiplier(productScale / 0.05)).toEqual({
      multiplier: layer.multiplier[0],
      shift: layer.shift[0],
    });
    expect(Array.from(layer.multiplier)).toEqual([1099511600]);
    expect(Array.from(layer.shift)).toEqual([-7]);
    expect([layer.outputMin, layer.outputMax]).toEqual([0, 255]);
  });

  it("keeps an Int32Array bias as the int32 bias (already at s_in * s_w), folding it like a quantized one", () => {
    const params = example;
    const fromFloat = prepareQuantizedLinear({ ...params, bias: new Float32Array([0.1, -0.2]) });
    const bias = Int32Array.of(500, -1000);
    const fromInt = prepareQuantizedLinear({ ...params, bias });
    expect(fromInt.bias).toBe(bias);
    expect([Array.from(fromInt.multiplier), Array.from(fromInt.shift)]).toEqual([
      Array.from(fromFloat.multiplier),
      Array.from(fromFloat.shift),
    ]);
    const x = Uint8Array.of(0, 255, 128, 140, 7, 99);
    for (const { kernels } of backends)
      expect(Array.from(kernels.quantizedLinear(x, fromInt, 3))).toEqual(
        Array.from(kernels.quantizedLinear(x, fromFloat, 3)),
      );
    expect(Array.from(quantizedLinear(x, fromInt, 3))).toEqual([53, 161, 100, 102, 75, 81]); // (x - 128) W^T + bias, times 0.004, + 100
    expect(() => prepareQuantizedLinear({ ...params, bias: new Int32Array(3) })).toThrow(
      /bias must have length the number of output channels = 2, got 3/,
    );
    expect(() => prepareQuantizedLinear({ ...params, bias: new Float64Array(2) as never })).toThrow(
      /bias must be a Float32Array or Int32Array/,
    );
  });

  it("infers outFeatures from the bias or per-channel scales, and inFeatures from the weight", () => {
    const base = {
      weight: new Int8Array(6),
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 0,
    };
    const a = prepareQuantizedLinear({ ...base, bias: new Float32Array(2) });
    expect([a.outFeatures, a.inFeatures]).toEqual([2, 3]);
    const b = prepareQuantizedLinear({ ...base, weightScale: new Float32Array([0.1, 0.1, 0.1]) });
    expect([b.outFeatures, b.inFeatures]).toEqual([3, 2]);
  });

  it("rounds bias ties to even and makes one multiplier per channel for per-channel scales", () => {
    // scale 1 * 0.5: bias 1.25 / 0.5 = 2.5 -> 2, 1.75 / 0.5 = 3.5 -> 4.
    const layer = prepareQuantizedLinear({
      weight: new Int8Array(4),
      inFeatures: 2,
      outFeatures: 2,
      weightScale: new Float32Array([0.5, 0.25]),
      inputScale: 1,
      inputZeroPoint: 0,
      bias: new Float32Array([1.25, 0.875]),
      outputScale: 2,
      outputZeroPoint: 7,
      relu: true,
    });
    expect(Array.from(layer.bias)).toEqual([2, 4]); // 0.875 / 0.25 = 3.5 -> 4
    expect(Array.from(layer.multiplier)).toEqual([2 ** 30, 2 ** 30]);
    expect(Array.from(layer.shift)).toEqual([-1, -2]); // 0.25 and 0.125
    expect(layer.outputMin).toBe(7); // the fused ReLU clamps at the output zero point
  });

  it("clamps the output codes to [outputMin, outputMax], the fused ReLU raising outputMin to the zero point", () => {
    // y = x * 1 (weight 127 at scale 1/127, input and output scale 0.1), zero point 3, codes 0..15 (4 bit).
    const params = {
      weight: new Int8Array([127]),
      inFeatures: 1,
      outFeatures: 1,
      weightScale: 1 / 127,
      inputScale: 0.1,
      inputZeroPoint: 10,
      outputScale: 0.1,
      outputZeroPoint: 3,
      outputMin: 0,
      outputMax: 15,
    };
    const plain = prepareQuantizedLinear(params);
    expect([plain.outputMin, plain.outputMax]).toEqual([0, 15]);
    const relu = prepareQuantizedLinear({ ...params, relu: true });
    expect([relu.outputMin, relu.outputMax]).toEqual([3, 15]); // max(0, zero point 3)
    // A ReLU floor above the zero point stays: max(5, 3) = 5.
    expect(prepareQuantizedLinear({ ...params, relu: true, outputMin: 5 }).outputMin).toBe(5);
    // Only outputMax given: outputMin defaults to 0; only outputMin given: outputMax defaults to 255.
    expect(prepareQuantizedLinear({ ...params, outputMin: undefined }).outputMin).toBe(0);
    expect(prepareQuantizedLinear({ ...params, outputMax: undefined }).outputMax).toBe(255);
    // x codes 0, 5, 10, 20, 40 are -1.0, -0.5, 0, 1.0, 3.0: output codes 3 + (x - 10) = -7, -2, 3, 13, 33.
    const x = new Uint8Array([0, 5, 10, 20, 40]);
    for (const { kernels } of backends) {
      expect(Array.from(kernels.quantizedLinear(x, plain, 5))).toEqual([0, 0, 3, 13, 15]);
      expect(Array.from(kernels.quantizedLinear(x, relu, 5))).toEqual([3, 3, 3, 13, 15]);
    }
  });

  it("rejects a bad outputMin / outputMax, naming the argument and the value", () => {
    const ok = {
      weight: new Int8Array(2),
      inFeatures: 1,
      outFeatures: 2,
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 8,
    };
    expect(() => prepareQuantizedLinear({ ...ok, outputMin: -1 })).toThrow(
      new RangeError("outputMin must be an integer in [0, 255] (uint8), got -1"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMax: 256 })).toThrow(
      new RangeError("outputMax must be an integer in [0, 255] (uint8), got 256"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMax: 7.5 })).toThrow(
      new RangeError("outputMax must be an integer in [0, 255] (uint8), got 7.5"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMin: Number.NaN })).toThrow(
      new RangeError("outputMin must be an integer in [0, 255] (uint8), got NaN"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMin: "0" as never })).toThrow(
      new TypeError("outputMin must be a number, got string"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMin: 20, outputMax: 10 })).toThrow(
      new RangeError("outputMin (20) must be <= outputMax (10)"),
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputMax: 7, relu: true })).toThrow(
      /^outputMax \(7\) must be >= outputZeroPoint \(8\) with relu/,
    );
    // Without the ReLU the same clamp is valid (the zero point need not lie inside it).
    expect(prepareQuantizedLinear({ ...ok, outputMax: 7 }).outputMax).toBe(7);
  });

  it("rejects bad parameters, naming them", () => {
    const ok = {
      weight: new Int8Array(6),
      inFeatures: 3,
      outFeatures: 2,
      weightScale: 0.1,
      inputScale: 0.1,
      inputZeroPoint: 0,
      outputScale: 0.1,
      outputZeroPoint: 0,
    };
    expect(() => prepareQuantizedLinear({ ...ok, weight: new Int8Array(5) })).toThrow(
      /weight must have length outFeatures \* inFeatures \(2 \* 3\) = 6, got 5/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, inputZeroPoint: 256 })).toThrow(
      /inputZeroPoint must be an integer in \[0, 255\]/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, outputScale: 0 })).toThrow(
      /outputScale must be a positive finite number, got 0/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, weightScale: Number.NaN })).toThrow(
      /weightScale must be a positive finite number/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, weightScale: new Float32Array([0.1, -1]) })).toThrow(
      /weightScale\[1\]/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, weightScale: new Float32Array(3) })).toThrow(
      /weightScale must have length/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, bias: new Float32Array([1e30, 0]) })).toThrow(
      /bias\[0\] = [0-9.e+]+ quantizes to .* outside int32/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, inputScale: 1e30, outputScale: 1e-30 })).toThrow(
      /not a usable multiplier/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, weight: new Uint8Array(6) as never })).toThrow(
      /weight must be a Int8Array/,
    );
    expect(() => prepareQuantizedLinear({ ...ok, inFeatures: 0 })).toThrow(
      /inFeatures must be a positive integer/,
    );
    const { inFeatures: _i, outFeatures: _o, ...noDims } = ok;
    expect(() => prepareQuantizedLinear(noDims)).toThrow(
      /outFeatures is required when neither bias nor a per-channel weightScale/,
    );
    expect(() => prepareQuantizedLinear({ ...noDims, bias: new Float32Array(4) })).toThrow(
      /inFeatures must be a positive integer, got 1.5/,
    );
  });
});
