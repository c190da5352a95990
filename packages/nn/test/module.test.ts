import type { Shape, Tensor } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import {
  BatchNorm2d,
  Conv2d,
  createMlp,
  Flatten,
  Identity,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from "../src/index";

/** y = x * factor: a custom module as PTQ/QAT would write one. */
class Scale extends Module {
  constructor(public factor: number) {
    super();
  }
  forward(x: Float32Array, shape: Shape): Tensor {
    return { data: x.map((v) => v * this.factor), shape };
  }
  backward(g: Float32Array): Float32Array {
    return g.map((v) => v * this.factor);
  }
}

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

describe("Sequential: children by name", () => {
  it("get, set, insertAfter, insertBefore, remove, append keep the order", () => {
    const model = createMlp([4, 3, 2]);
    const obs = new Identity();
    model.insertAfter("fc1", "fc1_obs", obs).insertBefore("fc1", "quant", new Identity());
    expect(model.names()).toEqual(["quant", "fc1", "fc1_obs", "relu1", "fc2"]);
    expect(model.get("fc1_obs")).toBe(obs);
    const replacement = new Linear(3, 2, { seed: 9 });
    model.set("fc2", replacement);
    expect(model.get("fc2")).toBe(replacement);
    expect(model.remove("quant")).toBeInstanceOf(Identity);
    model.append("dequant", new Identity());
    expect(model.names()).toEqual(["fc1", "fc1_obs", "relu1", "fc2", "dequant"]);
    expect(model.length).toBe(5);
  });
  it("names errors clearly", () => {
    const model = createMlp([4, 3, 2]);
    expect(() => model.get("fc9")).toThrow('no child named "fc9"; children are [fc1, relu1, fc2]');
    expect(() => model.append("fc1", new ReLU())).toThrow(
      'a child named "fc1" already exists; use set("fc1", module) to replace it',
    );
    expect(() => model.append("a.b", new ReLU())).toThrow(/no dots/);
    // @ts-expect-error not a module
    expect(() => model.set("fc1", {})).toThrow(TypeError);
    expect(() => model.append("self", model)).toThrow("a Sequential cannot contain itself");
  });
  it("nested paths: namedModules, getSubmodule, setSubmodule, dotted parameter names", () => {
    const model = new Sequential([
      [
        "features",
        new Sequential([
          ["conv", new Conv2d(1, 2, 3)],
          ["bn", new BatchNorm2d(2)],
        ]),
      ],
      ["flatten", new Flatten()],
    ]);
    expect(model.namedModules().map(([n]) => n)).toEqual([
      "",
      "features",
      "features.conv",
      "features.bn",
      "flatten",
    ]);
    expect(model.getSubmodule("features.bn")).toBeInstanceOf(BatchNorm2d);
    model.setSubmodule("features.bn", new Identity());
    expect(model.getSubmodule("features.bn")).toBeInstanceOf(Identity);
    expect(model.parameters().map((p) => p.name)).toEqual(["features.conv.weight", "features.conv.bias"]);
    expect(() => model.getSubmodule("features.pool")).toThrow(
      'no submodule "pool" in "features.pool"; children are [conv, bn]',
    );
    expect(() => model.setSubmodule("flatten.x", new ReLU())).toThrow(/Flatten has no child "x" to replace/);
  });
  it("parameters share the layers' arrays, so an optimizer updates the model", () => {
    const model = createMlp([4, 3, 2]);
    const [w] = model.parameters();
    expect(w!.data).toBe((model.get("fc1") as Linear).weight.data);
    w!.grad.fill(1);
    model.zeroGrad();
    expect((model.get("fc1") as Linear).weight.grad.every((v) => v === 0)).toBe(true);
  });
  it("train() and eval() reach every descendant", () => {
    const model = new Sequential([["inner", new Sequential([["bn", new BatchNorm2d(1)]])]]);
    model.eval();
    expect(model.getSubmodule("inner.bn").training).toBe(false);
    model.train();
    expect(model.getSubmodule("inner.bn").training).toBe(true);
  });
  it("backward without an input gradient skips the work before the first layer with parameters", () => {
    const model = new Sequential([
      ["scale", new Scale(2)],
      ["fc", new Linear(2, 2, { seed: 1 })],
    ]);
    model.forward(new Float32Array([1, 2]), [1, 2]);
    expect(model.backward(new Float32Array([1, 1]), false).length).toBe(0);
    const gradW = Float32Array.from((model.get("fc") as Linear).weight.grad);
    expect(Array.from(gradW)).toEqual([2, 4, 2, 4]); // dW = g^T (2x)
    expect(model.backward(new Float32Array([1, 1])).length).toBe(2);
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
