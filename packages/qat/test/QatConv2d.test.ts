import { Conv2d } from "@quantkit/nn";
import { createQConfig } from "@quantkit/ptq";
import { fakeQuantize, steMask } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { QatConv2d } from "../src/index";

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(b[i]!)),
    );
}

describe("QatConv2d", () => {
  it("forward and STE backward equal their definitions (3x3, padding 1, ReLU)", () => {
    const rng = new Rng(8);
    const conv = new Conv2d(1, 2, 3, { padding: 1, rng });
    const layer = new QatConv2d(conv, true, createQConfig({ bits: 3, qat: true }));
    const x = rng.fillUniform(new Float32Array(2 * 16), -1, 1);
    const y = layer.forward(x, [2, 1, 4, 4]).data;
    const wq = layer.weightFakeQuant.calculateQParams();
    const wfq = fakeQuantize(conv.weight.data, conv.weight.shape, wq);
    const wMask = steMask(conv.weight.data, conv.weight.shape, wq);
    const pre = new Float32Array(2 * 2 * 16);
    const at = (b: number, h: number, w: number) =>
      h < 0 || h > 3 || w < 0 || w > 3 ? 0 : x[b * 16 + h * 4 + w]!;
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < 2; o++)
        for (let h = 0; h < 4; h++)
          for (let w = 0; w < 4; w++) {
            let s = conv.bias!.data[o]!;
            for (let i = 0; i < 3; i++)
              for (let j = 0; j < 3; j++) s += at(b, h + i - 1, w + j - 1) * wfq[o * 9 + i * 3 + j]!;
            pre[((b * 2 + o) * 4 + h) * 4 + w] = Math.max(s, 0);
          }
    const aq = layer.activationPostProcess.calculateQParams();
    close(y, fakeQuantize(pre, [pre.length], aq));
    const aMask = steMask(pre, [pre.length], aq);
    const g = rng.fillNormal(new Float32Array(pre.length));
    conv.weight.grad.fill(0);
    layer.backward(g);
    const dW = new Float32Array(18);
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < 2; o++)
        for (let h = 0; h < 4; h++)
          for (let w = 0; w < 4; w++) {
            const k = ((b * 2 + o) * 4 + h) * 4 + w;
            const go = pre[k]! > 0 ? g[k]! * aMask[k]! : 0;
            for (let i = 0; i < 3; i++)
              for (let j = 0; j < 3; j++)
                dW[o * 9 + i * 3 + j] = dW[o * 9 + i * 3 + j]! + go * at(b, h + i - 1, w + j - 1);
          }
    close(
      conv.weight.grad,
      dW.map((v, i) => v * wMask[i]!),
    );
  });
});
