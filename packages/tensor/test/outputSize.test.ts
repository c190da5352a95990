import { describe, expect, it } from "vitest";
import { convOutputSize, poolOutputSize } from "../src/index";

/** PyTorch's conv formula written out: floor((in + pads - dilation (k - 1) - 1) / stride) + 1. */
const torchConv = (n: number, k: number, s: number, before: number, after: number, d: number) =>
  Math.floor((n + before + after - d * (k - 1) - 1) / s) + 1;

describe("convOutputSize / poolOutputSize", () => {
  it("convOutputSize(size, kernel, options) is PyTorch's Conv2d formula (known shapes)", () => {
    expect(convOutputSize(28, 3)).toBe(26); // nn.Conv2d(1, 8, 3) on 28x28
    expect(convOutputSize(28, 3, { padding: 1 })).toBe(28);
    expect(convOutputSize(28, 5, { stride: 2, padding: 2 })).toBe(14);
    expect(convOutputSize(28, 3, { dilation: 2 })).toBe(24);
    expect(convOutputSize(5, 3, { stride: 2, padding: [0, 1] })).toBe(2);
    expect(convOutputSize(2, 5)).toBe(-2); // does not fit: callers say so
    for (let n = 1; n <= 12; n++)
      for (let k = 1; k <= 4; k++)
        for (let s = 1; s <= 3; s++)
          for (let p = 0; p <= 2; p++)
            for (let d = 1; d <= 2; d++)
              expect(convOutputSize(n, k, { stride: s, padding: p, dilation: d })).toBe(
                torchConv(n, k, s, p, p, d),
              );
  });

  it("poolOutputSize(size, kernel, options) is PyTorch's pooling_output_shape, ceil mode included", () => {
    expect(poolOutputSize(28, 2, { stride: 2 })).toBe(14); // nn.MaxPool2d(2) on 28x28
    expect(poolOutputSize(5, 2, { stride: 2 })).toBe(2);
    expect(poolOutputSize(5, 2, { stride: 2, ceilMode: true })).toBe(3);
    // ceil mode's last window would start in the right padding only: PyTorch drops it (3, not 4).
    expect(poolOutputSize(5, 2, { stride: 2, padding: 1, ceilMode: true })).toBe(3);
    expect(poolOutputSize(6, 3, { stride: 2, padding: 1, dilation: 2 })).toBe(2);
    for (let n = 1; n <= 10; n++)
      for (let k = 1; k <= 3; k++)
        expect(poolOutputSize(n, k, { stride: 2 })).toBe(convOutputSize(n, k, { stride: 2 }));
  });
});
