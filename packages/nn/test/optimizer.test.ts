import { describe, expect, expectTypeOf, it } from "vitest";
import { Adam, createParameter, type Optimizer, type Parameter, SGD } from "../src/index";
import { _checkParams } from "../src/optimizer";

describe("Optimizer", () => {
  it("SGD and Adam are Optimizers: lr, step(), zeroGrad()", () => {
    expectTypeOf<SGD>().toExtend<Optimizer>();
    expectTypeOf<Adam>().toExtend<Optimizer>();
    const p = createParameter("p", [2], new Float32Array([1, 2]));
    for (const opt of [new SGD([p], { lr: 0.5 }), new Adam([p], { lr: 0.5 })] as Optimizer[]) {
      p.grad.set([1, -1]);
      opt.zeroGrad();
      expect(Array.from(p.grad)).toEqual([0, 0]);
      expect(opt.lr).toBe(0.5);
    }
  });
  it("a changed lr takes effect at the next step (a schedule)", () => {
    const p = createParameter("p", [1], new Float32Array([1]));
    const opt: Optimizer = new SGD([p], { lr: 0.1 });
    p.grad[0] = 1;
    opt.step();
    opt.lr = 0.5;
    opt.step();
    expect(p.data[0]).toBe(Math.fround(Math.fround(1 - 0.1) - 0.5));
  });
  it("_checkParams rejects empty lists, mismatched grads and non-finite or negative rates, naming the optimizer", () => {
    const p = createParameter("w", [2]);
    expect(() => _checkParams([], 0.1, "X")).toThrow(
      "X: params must be a non-empty array of parameters (model.parameters())",
    );
    const bad = { ...p, grad: new Float32Array(3) } as Parameter;
    expect(() => _checkParams([bad], 0.1, "X")).toThrow(
      "X: parameter w needs Float32Array data and grad of one length",
    );
    expect(() => _checkParams([p], Number.NaN, "X")).toThrow("X: lr must be a non-negative number, got NaN");
    expect(() => _checkParams([p], Number.POSITIVE_INFINITY, "X")).toThrow(/got Infinity/);
    expect(() => _checkParams([p], -0.1, "X")).toThrow(/got -0.1/);
    expect(() => _checkParams([p], 0, "X")).not.toThrow();
  });
});
