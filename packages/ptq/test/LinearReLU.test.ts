import { Linear } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { LinearReLU } from "../src/index";
import { randomInput } from "./_fixtures";

describe("LinearReLU (torch.ao.nn.intrinsic.LinearReLU)", () => {
  it("forward is max(x W^T + b, 0) of its Linear; backward masks the gradient where the output was 0", () => {
    const linear = new Linear(2, 3, { bias: true });
    linear.weight.data.set([1, -1, -2, 1, 0.5, 0.5]);
    linear.bias!.data.set([0, 0.5, -4]);
    const fused = new LinearReLU(linear);
    // x = [3, 1]: 3 - 1 + 0 = 2, -6 + 1 + 0.5 = -4.5 -> 0, 1.5 + 0.5 - 4 = -2 -> 0
    const y = fused.forward(new Float32Array([3, 1]), [1, 2]);
    expect(Array.from(y.data)).toEqual([2, 0, 0]);
    const gx = fused.backward(new Float32Array([1, 1, 1]));
    expect(Array.from(gx)).toEqual([1, -1]); // only output 0 passes: row 0 of W
    expect(Array.from(linear.weight.grad)).toEqual([3, 1, 0, 0, 0, 0]);
    expect(Array.from(linear.bias!.grad)).toEqual([1, 0, 0]);
  });
  it("equals Linear then ReLU on random input, and keeps the Linear's parameter names and arrays", () => {
    const linear = new Linear(6, 4, { seed: 3 });
    const fused = new LinearReLU(linear);
    const x = randomInput(5 * 6, 1);
    const plain = linear.forward(x, [5, 6]).data.map((v) => Math.max(v, 0));
    expect(Array.from(fused.forward(x, [5, 6]).data)).toEqual(Array.from(plain));
    expect(fused.parameters().map((p) => p.name)).toEqual(["weight", "bias"]);
    expect(fused.parameters()[0]!.data).toBe(linear.weight.data);
    expect(fused.toString()).toBe("LinearReLU(in_features=6, out_features=4, bias=True)");
  });
  it("takes only a Linear", () => {
    expect(() => new LinearReLU({} as never)).toThrow("LinearReLU: linear must be a Linear");
  });
});
