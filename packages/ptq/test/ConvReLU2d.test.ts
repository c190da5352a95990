import { Conv2d } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { ConvReLU2d } from "../src/index";
import { randomInput } from "./_fixtures";

describe("ConvReLU2d (torch.ao.nn.intrinsic.ConvReLU2d)", () => {
  it("forward is max(conv(x), 0) by hand; backward masks the gradient where the output was 0", () => {
    const conv = new Conv2d(1, 1, 2, { bias: false });
    conv.weight.data.set([1, -1, -1, 1]);
    const fused = new ConvReLU2d(conv);
    // 3x3 image 1..9 with a [[1, -1], [-1, 1]] kernel: every window gives 1 - 2 - 4 + 5 = 0; make one positive
    const x = new Float32Array([1, 2, 3, 4, 9, 6, 7, 8, 9]);
    // windows: (1 - 2 - 4 + 9) = 4, (2 - 3 - 9 + 6) = -4, (4 - 9 - 7 + 8) = -4, (9 - 6 - 8 + 9) = 4
    expect(Array.from(fused.forward(x, [1, 1, 3, 3]).data)).toEqual([4, 0, 0, 4]);
    fused.backward(new Float32Array([1, 1, 1, 1]));
    // dW = sum over the two positive windows of their inputs: [1 + 9, 2 + 6, 4 + 8, 9 + 9]
    expect(Array.from(conv.weight.grad)).toEqual([10, 8, 12, 18]);
  });
  it("equals Conv2d then ReLU on random input, and keeps the convolution's parameter names", () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, seed: 4 });
    const fused = new ConvReLU2d(conv);
    const x = randomInput(2 * 2 * 5 * 5, 2);
    const plain = conv.forward(x, [2, 2, 5, 5]).data.map((v) => Math.max(v, 0));
    expect(Array.from(fused.forward(x, [2, 2, 5, 5]).data)).toEqual(Array.from(plain));
    expect(fused.parameters().map((p) => p.name)).toEqual(["weight", "bias"]);
    expect(fused.toString()).toBe("ConvReLU2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
  });
  it("takes only a Conv2d", () => {
    expect(() => new ConvReLU2d({} as never)).toThrow("ConvReLU2d: conv must be a Conv2d");
  });
});
