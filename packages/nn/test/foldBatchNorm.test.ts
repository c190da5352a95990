import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { BatchNorm2d, Conv2d, foldBatchNorm, Identity, Sequential } from "../src/index";
import { maxRelError } from "./_reference";

describe("foldBatchNorm", () => {
  it("the folded convolution equals conv then eval-mode BN", () => {
    const rng = new Rng(3);
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: 2, rng });
    const bn = new BatchNorm2d(3);
    bn.runningMean!.set([0.3, -0.2, 1.5]);
    bn.runningVar!.set([0.5, 2, 0.1]);
    bn.weight!.data.set([1.2, -0.8, 0.5]);
    bn.bias!.data.set([0.1, 0.2, -0.3]);
    const model = new Sequential([
      ["conv", conv],
      ["bn", bn],
    ]).eval();
    const x = rng.fillNormal(new Float32Array(2 * 2 * 5 * 5));
    const expected = model.forward(x, [2, 2, 5, 5]).data;
    const fused = foldBatchNorm(conv, bn);
    model.set("conv", fused).set("bn", new Identity());
    expect(maxRelError(model.forward(x, [2, 2, 5, 5]).data, expected)).toBeLessThan(1e-5);
    expect(fused).not.toBe(conv);
    expect(() => foldBatchNorm(conv, new BatchNorm2d(4))).toThrow(
      "foldBatchNorm: bn has 4 features but conv has 3 output channels",
    );
  });
});
