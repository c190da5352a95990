import type { Shape, Tensor } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { BatchNorm2d, Conv2d, createMlp, Flatten, Linear, MaxPool2d, Module, Sequential } from "../src/index";
import { Scale } from "./_scale";

describe("toString", () => {
  it("prints like PyTorch", () => {
    expect(createMlp([784, 100, 10]).toString()).toBe(
      "Sequential(\n  (fc1): Linear(in_features=784, out_features=100, bias=True)\n  (relu1): ReLU()\n  (fc2): Linear(in_features=100, out_features=10, bias=True)\n)",
    );
    // print(nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.MaxPool2d(2), nn.Flatten())) in PyTorch 1.13
    expect(
      new Sequential([
        new Conv2d(1, 8, 3, { padding: 1 }),
        new BatchNorm2d(8),
        new MaxPool2d(2),
        new Flatten(),
      ]).toString(),
    ).toBe(
      [
        "Sequential(",
        "  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
        "  (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
        "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
        "  (3): Flatten(start_dim=1, end_dim=-1)",
        ")",
      ].join("\n"),
    );
  });
});

describe("forward hooks: PTQ's way to observe without patching", () => {
  it("a forward hook sees each layer's input and output through call(); forward() bypasses hooks", () => {
    const model = createMlp([4, 3, 2], { seed: 0 });
    const seen: Array<[string, number[]]> = [];
    const handles = model
      .namedModules()
      .slice(1)
      .map(([name, m]) =>
        m.registerForwardHook((_mod, _input, output) => void seen.push([name, [...output.shape]])),
      );
    model.call(new Float32Array(8), [2, 4]);
    expect(seen).toEqual([
      ["fc1", [2, 3]],
      ["relu1", [2, 3]],
      ["fc2", [2, 2]],
    ]);
    for (const h of handles) h.remove();
    seen.length = 0;
    model.call(new Float32Array(8), [2, 4]);
    expect(seen).toEqual([]);
  });
  it("a pre-hook or hook that returns a tensor replaces the input or output", () => {
    const s = new Scale(3);
    s.registerForwardPreHook((_m, input) => ({ data: input.data.map((v) => v + 1), shape: input.shape }));
    const h = s.registerForwardHook((_m, _input, output) => ({
      data: output.data.map((v) => -v),
      shape: output.shape,
    }));
    expect(Array.from(s.call(new Float32Array([1, 2]), [2]).data)).toEqual([-6, -9]);
    h.remove();
    expect(Array.from(s.call(new Float32Array([1, 2]), [2]).data)).toEqual([6, 9]);
    expect(Array.from(s.forward(new Float32Array([1, 2]), [2]).data)).toEqual([3, 6]);
  });
  it("a wrapped Linear (QAT's pattern) keeps the state-dict names and trains", () => {
    class Wrapped extends Module {
      constructor(readonly inner: Linear) {
        super();
      }
      override ownParameters() {
        return this.inner.ownParameters();
      }
      forward(x: Float32Array, shape: Shape): Tensor {
        return this.inner.forward(x, shape);
      }
      backward(g: Float32Array, needInputGrad?: boolean): Float32Array {
        return this.inner.backward(g, needInputGrad);
      }
    }
    const model = createMlp([4, 3, 2]);
    model.set("fc1", new Wrapped(model.get("fc1") as Linear));
    expect(model.parameters().map((p) => p.name)).toEqual([
      "fc1.weight",
      "fc1.bias",
      "fc2.weight",
      "fc2.bias",
    ]);
  });
});

describe("shared modules", () => {
  it("a module reached twice contributes its parameters once, under its first name (as in PyTorch)", () => {
    const shared = new Linear(2, 2);
    const model = new Sequential([
      ["a", shared],
      ["b", shared],
    ]);
    expect(model.parameters().map((p) => p.name)).toEqual(["a.weight", "a.bias"]);
  });
});
