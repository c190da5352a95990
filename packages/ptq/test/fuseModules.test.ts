import { BatchNorm2d, Conv2d, createMlp, Identity, Linear, Module, ReLU, Sequential } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { ConvReLU2d, fuseModules, LinearReLU } from "../src/index";
import { convNet, randomInput } from "./_fixtures";

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  return diff / scale;
}

describe("fuseModules", () => {
  it("fuses Linear+ReLU into LinearReLU and keeps every name (the ReLU becomes an Identity)", () => {
    const mlp = createMlp([6, 5, 4, 3], { seed: 1 });
    const fused = fuseModules(mlp);
    expect(fused.names()).toEqual(["fc1", "relu1", "fc2", "relu2", "fc3"]);
    expect(fused.get("fc1")).toBeInstanceOf(LinearReLU);
    expect(fused.get("relu1")).toBeInstanceOf(Identity);
    expect(fused.get("fc3")).toBeInstanceOf(Linear);
    expect(fused.sources.get("fc1")).toEqual(["fc1", "relu1"]);
    expect(fused.sources.get("fc3")).toEqual(["fc3"]);
    expect(fused.parameters().map((p) => p.name)).toEqual(mlp.parameters().map((p) => p.name));
  });

  it("the fused MLP computes exactly what the MLP computes", () => {
    const mlp = createMlp([20, 16, 8, 4], { seed: 2 });
    const x = randomInput(7 * 20, 3);
    const a = mlp.eval().forward(x, [7, 20]).data;
    const b = fuseModules(mlp).forward(x, [7, 20]).data;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it("folds Conv2d+BatchNorm2d(+ReLU) with the running statistics: the fused net equals the eval-mode net", () => {
    const net = convNet(4);
    const fused = fuseModules(net);
    expect(fused.names()).toEqual(net.names());
    expect(fused.get("conv1")).toBeInstanceOf(ConvReLU2d);
    expect(fused.get("bn1")).toBeInstanceOf(Identity);
    expect(fused.get("relu1")).toBeInstanceOf(Identity);
    expect(fused.get("conv2")).toBeInstanceOf(ConvReLU2d);
    expect(fused.get("conv3")).toBeInstanceOf(ConvReLU2d);
    expect(fused.sources.get("conv1")).toEqual(["conv1", "bn1", "relu1"]);
    expect(fused.get("fc1")).toBeInstanceOf(LinearReLU);
    const x = randomInput(3 * 1 * 12 * 12, 5);
    const a = net.forward(x, [3, 1, 12, 12]).data;
    const b = fused.forward(x, [3, 1, 12, 12]).data;
    // Folding rounds W * gamma / sqrt(var + eps) to float32 once: a few float32 ulps of the output range.
    expect(maxRelDiff(a, b)).toBeLessThan(1e-5);
  });

  it("folds a Conv2d+BatchNorm2d pair without ReLU into one Conv2d", () => {
    const bn = new BatchNorm2d(2);
    bn.runningMean!.set([0.5, -1]);
    bn.runningVar!.set([4, 0.25]);
    bn.weight!.data.set([2, 1]);
    bn.bias!.data.set([0, 3]);
    const conv = new Conv2d(1, 2, 1, { bias: false, seed: 0 });
    conv.weight.data.set([1, 1]);
    const fused = fuseModules(
      new Sequential([
        ["conv", conv],
        ["bn", bn],
      ]),
    );
    const f = fused.get("conv") as Conv2d;
    // W' = W * gamma / sqrt(var + eps), b' = -mean * gamma / sqrt(var + eps) + beta (eps = 1e-5)
    expect(f.weight.data[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 6);
    expect(f.bias!.data[1]).toBeCloseTo(3 + 1 / Math.sqrt(0.25 + 1e-5), 5);
  });

  it("does not change the model it is given", () => {
    const mlp = createMlp([4, 3, 2], { seed: 0 });
    const before = Array.from(mlp.parameters()[0]!.data);
    const fused = fuseModules(mlp);
    fused.parameters()[0]!.data.fill(0);
    expect(Array.from(mlp.parameters()[0]!.data)).toEqual(before);
    expect(mlp.get("fc1")).toBeInstanceOf(Linear);
  });

  it("fuses inside nested Sequentials", () => {
    const inner = new Sequential([
      ["fc", new Linear(4, 3)],
      ["act", new ReLU()],
    ]);
    const fused = fuseModules(
      new Sequential([
        ["block", inner],
        ["out", new Linear(3, 2)],
      ]),
    );
    expect(fused.getSubmodule("block.fc")).toBeInstanceOf(LinearReLU);
    expect(fused.sources.get("block.fc")).toEqual(["block.fc", "block.act"]);
  });

  it("rejects what it cannot quantize, naming the module", () => {
    class Custom extends Module {
      forward(x: Float32Array, shape: readonly number[]) {
        return { data: x, shape };
      }
      backward(g: Float32Array) {
        return g;
      }
    }
    expect(() => fuseModules(new Sequential([["odd", new Custom()]]))).toThrow(
      /cannot quantize "odd" \(Custom\)/,
    );
    expect(() => fuseModules(new Sequential([["bn", new BatchNorm2d(1)]]))).toThrow(
      /BatchNorm2d "bn" must directly follow a Conv2d/,
    );
    expect(() => fuseModules(new Linear(2, 2))).toThrow(/must be a Sequential/);
    expect(() => fuseModules(new Sequential([["c", new Conv2d(1, 1, 2, { padding: "same" })]]))).toThrow(
      /asymmetric padding/,
    );
  });
});
