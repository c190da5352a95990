import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import {
  BatchNorm2d,
  Conv2d,
  CrossEntropyLoss,
  createMlp,
  Flatten,
  Identity,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  sequentialLeaves,
} from "../src/index";
import { maxRelError, randn } from "./_reference";
import { Scale } from "./_scale";

describe("sequentialLeaves", () => {
  it("sequentialLeaves(model) walks into nested Sequentials, in order, with dotted paths", () => {
    const fc1 = new Linear(4, 3, { seed: 0 });
    const relu = new ReLU();
    const fc2 = new Linear(3, 2, { seed: 1 });
    const model = new Sequential([
      ["fc1", fc1],
      [
        "block",
        new Sequential([
          ["relu", relu],
          ["inner", new Sequential([["fc2", fc2]])],
        ]),
      ],
    ]);
    expect(sequentialLeaves(model)).toEqual([
      ["fc1", fc1],
      ["block.relu", relu],
      ["block.inner.fc2", fc2],
    ]);
    expect(sequentialLeaves(fc1)).toEqual([["", fc1]]);
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

describe("a whole model", () => {
  it("Conv-BN-ReLU-MaxPool-Flatten-Linear: the input gradient equals central differences of the loss", () => {
    const rng = new Rng(5);
    const model = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { padding: 1, rng })],
      ["bn", new BatchNorm2d(2)],
      ["relu", new ReLU()],
      ["pool", new MaxPool2d(2)],
      ["flatten", new Flatten()],
      ["fc", new Linear(8, 3, { rng })],
    ]).eval();
    // eval mode: BN uses running statistics, so the function of x is fixed
    const bn = model.get("bn") as BatchNorm2d;
    bn.runningMean!.set([0.1, -0.2]);
    bn.runningVar!.set([1.3, 0.8]);
    const shape = [2, 1, 4, 4];
    const x = randn(32, rng);
    const target = [1, 2];
    const lossFn = new CrossEntropyLoss();
    const out = model.forward(x, shape);
    lossFn.forward(out.data, out.shape, target);
    const gx = model.backward(lossFn.backward());
    // float32 forward: differences need a larger step, and the tolerance follows
    const h = 1e-2;
    const num = new Float64Array(32);
    for (let i = 0; i < 32; i++) {
      const xp = Float32Array.from(x);
      xp[i] = xp[i]! + h;
      const xm = Float32Array.from(x);
      xm[i] = xm[i]! - h;
      const lp = lossFn.forward(model.forward(xp, shape).data, [2, 3], target);
      const lm = lossFn.forward(model.forward(xm, shape).data, [2, 3], target);
      num[i] = (lp - lm) / (2 * h);
    }
    expect(maxRelError(gx, num)).toBeLessThan(5e-3);
  });
});
