import { describe, expect, it } from "vitest";
import { WEIGHT_ONLY_METHODS } from "../src/index";
import { _parse } from "../src/quantizeMatMulNBitsOptions";

describe("quantizeMatMulNBits' options", () => {
  it("WEIGHT_ONLY_METHODS are rtn, gptq, awq and hqq, as ONNX Runtime's matmul_nbits_quantizer names its algorithms", () => {
    expect([...WEIGHT_ONLY_METHODS]).toEqual(["rtn", "gptq", "awq", "hqq"]);
  });
  it("defaults: 4 bits, blocks of 32, symmetric, float32 scales, MatMulNBits, accuracy level 0, rtn", () => {
    const p = _parse({}, "f");
    expect([p.bits, p.blockSize, p.symmetric, p.scaleType, p.format, p.accuracyLevel, p.method]).toEqual([
      4,
      32,
      true,
      "float32",
      "MatMulNBits",
      0,
      "rtn",
    ]);
    expect([...p.exclude]).toEqual([]);
    expect(p.activations).toBeUndefined();
  });
  it("hqq is asymmetric whatever the default; exclude becomes a set; activations pass through", () => {
    expect(_parse({ method: "hqq" }, "f").symmetric).toBe(false);
    const activations = new Map([["a", new Float32Array(4)]]);
    const p = _parse({ method: "gptq", activations, exclude: ["mm1", "mm2"], bits: 8, blockSize: 128 }, "f");
    expect([p.method, p.bits, p.blockSize, p.activations, [...p.exclude]]).toEqual([
      "gptq",
      8,
      128,
      activations,
      ["mm1", "mm2"],
    ]);
  });
  it("each bad value is an error naming the option and the value", () => {
    const bad: Array<[object, string | RegExp]> = [
      [{ bits: 3 }, "f: bits must be 2, 4 or 8, got 3"],
      [{ blockSize: 48 }, "f: blockSize must be a power of two in 16..256, got 48"],
      [{ blockSize: 512 }, "f: blockSize must be a power of two in 16..256, got 512"],
      [{ method: "squeeze" }, 'f: method must be one of rtn, gptq, awq, hqq, got "squeeze"'],
      [{ method: "hqq", symmetric: true }, /method "hqq" quantizes asymmetric blocks/],
      [{ scaleType: "bfloat16" }, 'f: scaleType must be "float32" or "float16", got "bfloat16"'],
      [{ format: "qdq" }, 'f: format must be "MatMulNBits" or "QDQ", got "qdq"'],
      [{ format: "QDQ", bits: 2 }, 'f: format "QDQ" has no 2-bit type; use bits 4 or 8'],
      [{ accuracyLevel: 5 }, "f: accuracyLevel must be an integer in 0..4, got 5"],
      [{ format: "QDQ", accuracyLevel: 4 }, /accuracyLevel is a MatMulNBits attribute/],
      [{ activations: {} }, /activations must be a Map of value name -> Float32Array/],
      [{ method: "awq" }, /method "awq" needs calibration inputs/],
      [
        { methodOptions: { inspectModules: 1 } },
        /f: methodOptions.inspectModules must be true, false or "attention", got 1/,
      ],
      [
        { methodOptions: { sequenceLength: 0 } },
        "f: methodOptions.sequenceLength must be a positive integer, got 0",
      ],
    ];
    for (const [options, message] of bad)
      expect(() => _parse(options as never, "f"), JSON.stringify(options)).toThrow(message);
  });
});
