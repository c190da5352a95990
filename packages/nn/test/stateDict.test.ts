import { describe, expect, it } from "vitest";
import { Linear, loadStateDict, stateDict } from "../src/index";

describe("stateDict / loadStateDict", () => {
  it("stateDict(model) gives the model's own arrays under PyTorch's names", () => {
    const model = new Linear(2, 1, { seed: 0 });
    const dict = stateDict(model);
    expect(Object.keys(dict).sort()).toEqual(["bias", "weight"]);
    expect(dict.weight!.shape).toEqual([1, 2]);
    expect(dict.weight!.data).toBe(model.weight.data);
  });

  it("loadStateDict(model, tensors) decodes F16 and BF16 bits exactly (known patterns)", () => {
    const model = new Linear(3, 1, { seed: 0 });
    // float16: 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24 (smallest subnormal);
    // bfloat16: 0x3f80 = 1, 0xbfc0 = -1.5.
    loadStateDict(model, {
      weight: { dtype: "F16", shape: [1, 3], data: new Uint16Array([0x3c00, 0xc000, 0x0001]) },
      bias: { dtype: "BF16", shape: [1], data: new Uint16Array([0xbfc0]) },
    });
    expect([...model.weight.data]).toEqual([1, -2, 2 ** -24]);
    expect([...model.bias!.data]).toEqual([-1.5]);
  });
});
