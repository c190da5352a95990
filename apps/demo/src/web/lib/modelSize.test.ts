import { describe, expect, it } from "vitest";
import { MLP_LAYERS, MODEL_PRESETS, mlpParameterCount, parameterBytes } from "./modelSize";

describe("parameterBytes", () => {
  it("gives the deck's 28 GB for LLaMA 2 7B at 32 bits", () => {
    expect(parameterBytes(7e9, 32)).toBe(28e9);
    expect(parameterBytes(7e9, 4)).toBe(3.5e9);
  });
  it("rejects bad widths and counts", () => {
    expect(() => parameterBytes(10, 0)).toThrow("bits must be an integer in 1..64, got 0");
    expect(() => parameterBytes(-1, 8)).toThrow(RangeError);
  });
});

describe("mlpParameterCount", () => {
  it("counts weights and biases of the deck's 784-100-100-10 MLP", () => {
    // 784*100 + 100 + 100*100 + 100 + 100*10 + 10
    expect(mlpParameterCount(MLP_LAYERS)).toBe(89_610);
    // 358 440 bytes at fp32: the notebook's state dict is 360.6 KB with PyTorch's own overhead
    expect(parameterBytes(mlpParameterCount(MLP_LAYERS), 32)).toBe(358_440);
  });
  it("rejects a model without layers", () => {
    expect(() => mlpParameterCount([784])).toThrow(RangeError);
    expect(() => mlpParameterCount([784, 0])).toThrow("layerSizes must be positive integers, got [784, 0]");
  });
  it("offers the deck's model first", () => {
    expect(MODEL_PRESETS[0]!.parameters).toBe(7e9);
  });
});
