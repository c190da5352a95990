import { describe, expect, it } from "vitest";
import { quantizeMultiplier, requantize } from "../src/index";
import { cpuBackends } from "./_backends";
import { refRequantizeOne, TestRng } from "./_reference";

const backends = cpuBackends();

describe("requantize", () => {
  it("works the documented example by hand", () => {
    const { multiplier, shift } = quantizeMultiplier(0.5);
    const y = requantize(new Int32Array([-300, 7, 100, 400]), {
      multiplier: new Int32Array([multiplier]),
      shift: new Int32Array([shift]),
      outputZeroPoint: 128,
      outputMin: 0,
      outputMax: 255,
      channels: 4,
    });
    expect(y).toBeInstanceOf(Uint8Array);
    expect(Array.from(y)).toEqual([0, 132, 178, 255]);
  });

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals the BigInt reference per channel (last axis), int8 and uint8, extreme accumulators`, () => {
      const rng = new TestRng(21);
      const channels = 7;
      const rows = 300;
      const acc = new Int32Array(rows * channels);
      const specials = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 20, -(2 ** 20) - 1, 12345, -54321];
      for (let i = 0; i < acc.length; i++)
        acc[i] = i % 5 === 0 ? specials[i % specials.length]! : (rng.next() | 0) >> rng.int(0, 24);
      const multiplier = new Int32Array(channels);
      const shift = new Int32Array(channels);
      for (let c = 0; c < channels; c++) {
        const q = quantizeMultiplier(2 ** rng.int(-30, 8) * (0.5 + rng.next() / 2 ** 33));
        multiplier[c] = q.multiplier;
        shift[c] = q.shift;
      }
      for (const [outputMin, outputMax, outputZeroPoint, Out] of [
        [0, 255, 3, Uint8Array],
        [40, 200, 40, Uint8Array],
        [-128, 127, -5, Int8Array],
        [-3, 100, -3, Int8Array],
      ] as const) {
        const y = kernels.requantize(
          acc,
          { multiplier, shift, outputZeroPoint, outputMin, outputMax, channels },
          new Out(acc.length),
        );
        for (let i = 0; i < acc.length; i++) {
          const c = i % channels;
          const want = refRequantizeOne(
            acc[i]!,
            multiplier[c]!,
            shift[c]!,
            outputZeroPoint,
            outputMin,
            outputMax,
          );
          if (y[i] !== want) expect({ i, got: y[i] }).toEqual({ i, got: want });
        }
      }
    });
  }

  for (const { name, kernels } of backends) {
    it(`on ${name}: equals the BigInt reference on rows of 16+ (the SIMD loop and its tail), any non-negative int32 multiplier`, () => {
      const rng = new TestRng(22);
      const specials = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30), 3, -3, 5, -5];
      for (const channels of [16, 37, 100]) {
        const acc = new Int32Array(channels * 9);
        for (let i = 0; i < acc.length; i++)
          acc[i] = i % 4 === 0 ? specials[i % specials.length]! : (rng.next() | 0) >> rng.int(0, 20);
        for (const multiplier of [2 ** 30, 1_518_500_250, 2 ** 31 - 1, 1, 0]) {
          for (const shift of [-31, -20, -9, -1, 0, 3, 30]) {
            for (const [outputMin, outputMax, outputZeroPoint, Out] of [
              [0, 255, 77, Uint8Array],
              [-128, 127, 0, Int8Array],
              [5, 250, 5, Uint8Array],
            ] as const) {
              const params = {
                multiplier: new Int32Array([multiplier]),
                shift: new Int32Array([shift]),
                outputZeroPoint,
                outputMin,
                outputMax,
                channels,
              };
              const y = kernels.requantize(acc, params, new Out(acc.length));
              for (let i = 0; i < acc.length; i++) {
                const want = refRequantizeOne(
                  acc[i]!,
                  multiplier,
                  shift,
                  outputZeroPoint,
                  outputMin,
                  outputMax,
                );
                if (y[i] !== want)
                  expect({ i, multiplier, shift, got: y[i] }).toEqual({ i, multiplier, shift, got: want });
              }
            }
          }
        }
      }
    });
  }

  it("adds the zero point without int32 wrap-around: INT32_MAX stays at the top of the range", () => {
    // multiplier 2^31 - 1 with shift 0 is ~1.0: INT32_MAX maps to INT32_MAX - 1; + 255 must not wrap.
    for (const { kernels } of backends) {
      const y = kernels.requantize(new Int32Array([2 ** 31 - 1, -(2 ** 31)]), {
        multiplier: new Int32Array([2 ** 31 - 1]),
        shift: new Int32Array([0]),
        outputZeroPoint: 255,
        outputMin: 0,
        outputMax: 255,
        channels: 1,
      });
      expect(Array.from(y)).toEqual([255, 0]);
    }
  });

  it("returns an Int8Array when outputMin < 0 and no out is given", () => {
    const y = requantize(new Int32Array([-1000, 1000]), {
      multiplier: new Int32Array([2 ** 30]),
      shift: new Int32Array([0]),
      outputZeroPoint: 0,
      outputMin: -128,
      outputMax: 127,
      channels: 2,
    });
    expect(y).toBeInstanceOf(Int8Array);
    expect(Array.from(y)).toEqual([-128, 127]);
  });

  it("rejects mismatched parameters, naming them", () => {
    const base = {
      multiplier: new Int32Array([2 ** 30]),
      shift: new Int32Array([0]),
      outputZeroPoint: 0,
      outputMin: 0,
      outputMax: 255,
      channels: 2,
    };
    const acc = new Int32Array(4);
    expect(() => requantize(acc, { ...base, channels: 3 })).toThrow(
      /acc length 4 is not a multiple of params.channels \(3\)/,
    );
    expect(() => requantize(acc, { ...base, multiplier: new Int32Array(3) })).toThrow(
      /params.multiplier must have length 1 \(per tensor\) or 2 \(per channel\), got 3/,
    );
    expect(() => requantize(acc, { ...base, shift: new Int32Array([31]) })).toThrow(
      /params.shift\[0\] must be an integer in \[-31, 30\], got 31/,
    );
    expect(() => requantize(acc, { ...base, outputMin: 10, outputMax: 5 })).toThrow(/params.outputMax/);
    // Issue 15, item 4: a negative multiplier is an error, not a sign flip.
    expect(() => requantize(acc, { ...base, multiplier: new Int32Array([-(2 ** 30)]) })).toThrow(
      /params.multiplier\[0\] must be non-negative.*got -1073741824/,
    );
    expect(() => requantize(acc, { ...base, outputMin: -1 }, new Uint8Array(4))).toThrow(
      /inside the output dtype \[0, 255\]/,
    );
    expect(() => requantize(acc, base, new Uint8Array(3))).toThrow(
      /out must have the length of acc \(4\), got 3/,
    );
    expect(() => requantize(new Float32Array(4) as never, base)).toThrow(/acc must be a Int32Array/);
    expect(() => requantize(acc, { ...base, channels: 0 })).toThrow(
      /params.channels must be a positive integer/,
    );
  });
});
