import { describe, expect, it } from "vitest";
import {
  assertQuantizedConv2dLayer,
  assertQuantizedLinearLayer,
  checkMatmulF32Args,
  checkMatmulIntegerArgs,
  checkQuantizedConv2dArgs,
  checkQuantizedLinearArgs,
  checkRequantizeArgs,
  prepareQuantizedConv2d,
  prepareQuantizedLinear,
} from "../src/index";

const linear = prepareQuantizedLinear({
  weight: new Int8Array(6),
  inFeatures: 3,
  outFeatures: 2,
  weightScale: 0.01,
  inputScale: 0.02,
  inputZeroPoint: 5,
  outputScale: 0.1,
  outputZeroPoint: 7,
});
const conv = prepareQuantizedConv2d({
  weight: new Int8Array(2 * 1 * 3 * 3),
  inChannels: 1,
  outChannels: 2,
  kernelSize: 3,
  weightScale: 0.01,
  inputScale: 0.02,
  inputZeroPoint: 0,
  outputScale: 0.1,
  outputZeroPoint: 0,
});

describe("the contract's checks", () => {
  it("checkMatmulIntegerArgs resolves defaults and per-column zero points", () => {
    const r = checkMatmulIntegerArgs(new Uint8Array(6), new Int8Array(6), {
      m: 2,
      k: 3,
      n: 2,
      bZeroPoint: -3,
    });
    expect({ ...r, bZeroPoint: Array.from(r.bZeroPoint!), out: r.out.length }).toEqual({
      m: 2,
      k: 3,
      n: 2,
      transB: false,
      aZeroPoint: 0,
      bZeroPoint: [-3, -3],
      out: 4,
    });
    expect(checkMatmulIntegerArgs(new Uint8Array(6), new Int8Array(6), { m: 2, k: 3, n: 2 }).bZeroPoint).toBe(
      null,
    );
    expect(() => checkMatmulIntegerArgs(new Uint8Array(6), new Int8Array(6), { m: 2, k: 3, n: 3 })).toThrow(
      new RangeError("b must have length k * n (3 * 3) = 9, got 6"),
    );
  });

  it("checkMatmulF32Args keeps a given out and rejects a bias of the wrong length", () => {
    const out = new Float32Array(2);
    expect(checkMatmulF32Args(new Float32Array(4), new Float32Array(2), { m: 2, k: 2, n: 1, out }).out).toBe(
      out,
    );
    expect(() =>
      checkMatmulF32Args(new Float32Array(4), new Float32Array(2), {
        m: 2,
        k: 2,
        n: 1,
        bias: new Float32Array(3),
      }),
    ).toThrow(new RangeError("bias must have length n = 1, got 3"));
  });

  it("assertQuantizedLinearLayer / assertQuantizedConv2dLayer name the layer and the field", () => {
    expect(() => assertQuantizedLinearLayer(linear)).not.toThrow();
    expect(() => assertQuantizedLinearLayer({ ...linear, bias: new Int32Array(1) }, "layers[2]")).toThrow(
      new RangeError("layers[2].bias must have length the number of output channels = 2, got 1"),
    );
    expect(() => assertQuantizedConv2dLayer({ ...conv, groups: 2 })).toThrow(
      new RangeError("layer.groups (2) must divide layer.inChannels (1) and layer.outChannels (2)"),
    );
  });

  it("checkQuantizedLinearArgs and checkQuantizedConv2dArgs size the output", () => {
    expect(checkQuantizedLinearArgs(new Uint8Array(9), linear, 3).length).toBe(6);
    const c = checkQuantizedConv2dArgs(new Uint8Array(2 * 28 * 28), conv, {
      batch: 2,
      height: 28,
      width: 28,
    });
    expect([c.outH, c.outW, c.out.length]).toEqual([26, 26, 2 * 2 * 26 * 26]);
    expect(() =>
      checkQuantizedConv2dArgs(new Uint8Array(4), conv, { batch: 1, height: 2, width: 2 }),
    ).toThrow(RangeError);
  });

  it("checkRequantizeArgs picks Int8Array for a negative clamp and refuses negative multipliers", () => {
    const p = {
      multiplier: new Int32Array([1 << 30]),
      shift: new Int32Array([0]),
      outputZeroPoint: 0,
      outputMin: -128,
      outputMax: 127,
      channels: 1,
    };
    expect(checkRequantizeArgs(new Int32Array(3), p)).toBeInstanceOf(Int8Array);
    expect(checkRequantizeArgs(new Int32Array(3), { ...p, outputMin: 0 })).toBeInstanceOf(Uint8Array);
    expect(() => checkRequantizeArgs(new Int32Array(3), { ...p, multiplier: new Int32Array([-1]) })).toThrow(
      /params\.multiplier\[0\] must be non-negative/,
    );
  });
});
