import { Linear } from "@quantkit/nn";
import { createQConfig } from "@quantkit/ptq";
import { fakeQuantize, steMask } from "@quantkit/quantizers";
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { QatLinear } from "../src/index";

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(b[i]!)),
    );
}

describe("QatLinear", () => {
  it.each([
    ["per tensor, 4 bits, ReLU", createQConfig({ bits: 4, qat: true }), true],
    ["per channel, 3 bits", createQConfig({ bits: 3, qat: true, perChannel: true }), false],
  ] as const)("%s: forward and STE backward equal their definitions", (_n, qconfig, relu) => {
    const rng = new Rng(5);
    const linear = new Linear(6, 4, { rng });
    const layer = new QatLinear(linear, relu, qconfig);
    const x = rng.fillUniform(new Float32Array(3 * 6), -1, 1);
    const y = layer.forward(x, [3, 6]).data;
    // definition, step by step
    const wq = layer.weightFakeQuant.calculateQParams();
    const wfq = fakeQuantize(linear.weight.data, [4, 6], wq);
    const wMask = steMask(linear.weight.data, [4, 6], wq);
    const pre = new Float32Array(12);
    for (let r = 0; r < 3; r++)
      for (let o = 0; o < 4; o++) {
        let s = linear.bias!.data[o]!;
        for (let i = 0; i < 6; i++) s += x[r * 6 + i]! * wfq[o * 6 + i]!;
        pre[r * 4 + o] = relu ? Math.max(s, 0) : s;
      }
    const aq = layer.activationPostProcess.calculateQParams();
    close(y, fakeQuantize(pre, [12], aq));
    const aMask = steMask(pre, [12], aq);

    const g = rng.fillNormal(new Float32Array(12));
    linear.weight.grad.fill(0);
    linear.bias!.grad.fill(0);
    const dx = layer.backward(g);
    const gPre = g.map((v, i) => v * aMask[i]! * (relu && !(pre[i]! > 0) ? 0 : 1));
    const dW = new Float32Array(24);
    const db = new Float32Array(4);
    const dxRef = new Float32Array(18);
    for (let r = 0; r < 3; r++)
      for (let o = 0; o < 4; o++) {
        const go = gPre[r * 4 + o]!;
        db[o] = db[o]! + go;
        for (let i = 0; i < 6; i++) {
          dW[o * 6 + i] = dW[o * 6 + i]! + go * x[r * 6 + i]! * wMask[o * 6 + i]!; // STE on the weight
          dxRef[r * 6 + i] = dxRef[r * 6 + i]! + go * wfq[o * 6 + i]!; // through the fake-quantized weight
        }
      }
    close(linear.weight.grad, dW);
    close(linear.bias!.grad, db);
    close(dx, dxRef);
    expect(layer.parameters().map((p) => p.name)).toEqual(["weight", "bias"]);
  });
});
