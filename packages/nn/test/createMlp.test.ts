import { describe, expect, it } from "vitest";
import { createMlp } from "../src/index";

describe("createMlp: the seed's model", () => {
  it("is Linear-ReLU-Linear-ReLU-Linear named fc1, relu1, fc2, relu2, fc3", () => {
    const model = createMlp([784, 100, 100, 10], { seed: 0 });
    expect(model.names()).toEqual(["fc1", "relu1", "fc2", "relu2", "fc3"]);
    expect(model.parameters().map((p) => [p.name, p.shape])).toEqual([
      ["fc1.weight", [100, 784]],
      ["fc1.bias", [100]],
      ["fc2.weight", [100, 100]],
      ["fc2.bias", [100]],
      ["fc3.weight", [10, 100]],
      ["fc3.bias", [10]],
    ]);
    expect(model.parameters().reduce((n, p) => n + p.data.length, 0)).toBe(89_610);
    expect(model.forward(new Float32Array(3 * 784), [3, 784]).shape).toEqual([3, 10]);
  });
});

describe("createMlp options", () => {
  it("unknown option keys are errors", () => {
    expect(() => createMlp([2, 2], { sed: 1 } as never)).toThrow(
      /createMlp options has an unknown key "sed"/,
    );
  });
});
