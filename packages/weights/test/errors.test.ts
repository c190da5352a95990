import { describe, expect, it } from "vitest";
import {
  awq,
  gptq,
  HessianAccumulator,
  hqq,
  packBlockedDequantizeLinear,
  packMatMulNBits,
  quantizeBlockwise,
  unpackMatMulNBits,
} from "../src/index";

const w = new Float32Array(4 * 64).fill(0.5);

describe("bad input gets an error naming the argument and the value", () => {
  it("bits outside {2, 3, 4, 8}; 3-bit results have no packed ONNX layout", () => {
    expect(() => quantizeBlockwise(w, [4, 64], { bits: 5 as never })).toThrow(
      "quantizeBlockwise: bits must be 2, 3, 4 or 8, got 5",
    );
    expect(() => hqq(w, [4, 64], { bits: 1 as never })).toThrow("hqq: bits must be 2, 3, 4 or 8, got 1");
    const q3 = quantizeBlockwise(w, [4, 64], { bits: 3 });
    expect(() => packMatMulNBits(q3)).toThrow(
      "packMatMulNBits: bits must be 2, 4 or 8 for MatMulNBits (codes packed into whole bytes), got 3",
    );
    expect(() => packBlockedDequantizeLinear(q3)).toThrow(/bits must be 4 or 8.*got 3/);
    const t = packMatMulNBits(quantizeBlockwise(w, [4, 64], { bits: 4 }));
    expect(() => unpackMatMulNBits({ ...t.attributes, bits: 3, B: t.B.data, scales: t.scales.data })).toThrow(
      "unpackMatMulNBits: bits must be 2, 4 or 8 for MatMulNBits (codes packed into whole bytes), got 3",
    );
  });
  it("block sizes that are not powers of two, out of 16..256, or larger than K", () => {
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 48 })).toThrow(
      /blockSize must be a power of two in 16\.\.256.*got 48/,
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 8 })).toThrow(/got 8/);
    expect(() => quantizeBlockwise(new Float32Array(2 * 512), [2, 512], { blockSize: 512 })).toThrow(
      /got 512/,
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blockSize: 128 })).toThrow(
      "blockSize 128 does not fit K = 64",
    );
    expect(() => quantizeBlockwise(w, [64, 4], { layout: "KN", blockSize: 128 })).toThrow(
      "does not fit K = 64",
    );
  });
  it("NaN or Infinity in the weight, with its position", () => {
    const bad = w.slice();
    bad[70] = Number.NaN;
    expect(() => quantizeBlockwise(bad, [4, 64])).toThrow("quantizeBlockwise: weight[70] is NaN");
    bad[70] = Number.POSITIVE_INFINITY;
    expect(() => quantizeBlockwise(bad, [4, 64])).toThrow("weight[70] is Infinity");
  });
  it("shape mismatches, unknown options and bad option values", () => {
    expect(() => quantizeBlockwise(w, [4, 65])).toThrow(
      "weight has 256 elements but shape [4, 65] needs 260",
    );
    expect(() => quantizeBlockwise(w, [4, 64], { blocksize: 32 } as never)).toThrow(
      'unknown option "blocksize"',
    );
    expect(() => quantizeBlockwise(w, [4, 64], { scaleType: "bfloat16" as never })).toThrow(
      'scaleType must be "float32" or "float16", got "bfloat16"',
    );
    expect(() => quantizeBlockwise(w, [4, 64], { layout: "nk" as never })).toThrow(
      'layout must be "NK" or "KN", got "nk"',
    );
    expect(() => quantizeBlockwise(Array.from(w) as never, [4, 64])).toThrow("weight must be a Float32Array");
  });

  it("gptq without calibration inputs, or with inputs of another K", () => {
    expect(() => gptq(w, [4, 64], undefined as never)).toThrow(
      "gptq: calibration inputs are required (a Float32Array [rows, K = 64] or a HessianAccumulator), got undefined",
    );
    expect(() => gptq(w, [4, 64], new Float32Array(100))).toThrow(
      "calibration has 100 elements, not rows x K with K = 64",
    );
    expect(() => gptq(w, [4, 64], new HessianAccumulator(32))).toThrow(
      "calibration has K = 32, the weight K = 64",
    );
    expect(() => gptq(w, [4, 64], new HessianAccumulator(64))).toThrow("no calibration rows were added");
    const x = new Float32Array(64 * 3);
    x[70] = Number.NaN;
    expect(() => gptq(w, [4, 64], x)).toThrow("x[70] (row 1, column 6) is NaN");
    expect(() => gptq(w, [4, 64], new Float32Array(64), { percDamp: -1 })).toThrow(
      "percDamp must be a number in [0, 10], got -1",
    );
    expect(() => gptq(w, [4, 64], new Float32Array(64), { damp: 0.1 } as never)).toThrow(
      'gptq: unknown option "damp"',
    );
  });

  it("awq without calibration inputs, with NaN in them, or with bad grids", () => {
    expect(() => awq(w, [4, 64], undefined as never)).toThrow(
      "awq: calibration inputs are required (a Float32Array [rows, K = 64]), got undefined",
    );
    expect(() => awq(w, [4, 64], new Float32Array(65))).toThrow(
      "calibration has 65 elements, not rows x K with K = 64",
    );
    const x = new Float32Array(64 * 2);
    x[3] = Number.NaN;
    expect(() => awq(w, [4, 64], x)).toThrow("awq: calibration[3] is NaN");
    expect(() => awq(w, [4, 64], new Float32Array(64), { nGrid: 0 })).toThrow(
      "nGrid must be an integer in [1, 1000], got 0",
    );
    expect(() => awq(w, [4, 64], new Float32Array(64), { maxShrink: 2 })).toThrow(
      "maxShrink must be a number in [0, 1], got 2",
    );
  });

  it("hqq: no symmetric option, lpNorm in (0, 1], NaN in the weight", () => {
    expect(() => hqq(w, [4, 64], { symmetric: true } as never)).toThrow(
      "hqq: HQQ quantizes asymmetric blocks",
    );
    expect(() => hqq(w, [4, 64], { lpNorm: 2 })).toThrow("lpNorm must be a number in [0.01, 1], got 2");
    const bad = w.slice();
    bad[1] = Number.NEGATIVE_INFINITY;
    expect(() => hqq(bad, [4, 64])).toThrow("hqq: weight[1] is -Infinity");
  });
});
