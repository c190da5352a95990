import { describe, expect, it } from "vitest";
import {
  DataType,
  graphs,
  makeTensor,
  readModel,
  setWeight,
  toFloat32Array,
  weights,
  writeModel,
} from "../src/index";
import { modelBytes } from "./_fixtures";
import { nestedModel } from "./_nestedModel";

describe("weights(model): initializers and Constant nodes in every graph", () => {
  it("finds all five weights of the nested model with their values", () => {
    const model = readModel(writeModel(nestedModel()));
    const found = weights(model).map((w) => [w.name, w.kind, w.path, Array.from(toFloat32Array(w.tensor))]);
    expect(found).toEqual([
      ["unused", "initializer", "main", [5]],
      ["k", "initializer", "main/if.else_branch", [2, 3]],
      ["w", "constant", "main", [1, -1]],
      ["trip", "constant", "main/if.then_branch", [3]],
      ["step", "constant", "main/if.then_branch/loop.body", [0.25, 0.5]],
    ]);
    expect(weights(model).find((w) => w.name === "trip")!.tensor.dataType).toBe(DataType.INT64);
  });

  it("setWeight replaces an initializer in place and turns a Constant into value", () => {
    const model = nestedModel();
    const ws = weights(model);
    setWeight(ws.find((w) => w.name === "k")!, makeTensor("", DataType.FLOAT16, [2], [4, 5]));
    setWeight(ws.find((w) => w.name === "step")!, makeTensor("", DataType.FLOAT16, [2], [1, 2]));
    const again = weights(readModel(writeModel(model)));
    const k = again.find((w) => w.name === "k")!;
    const step = again.find((w) => w.name === "step")!;
    expect([k.tensor.dataType, Array.from(toFloat32Array(k.tensor))]).toEqual([DataType.FLOAT16, [4, 5]]);
    expect([step.node!.attribute[0]!.name, Array.from(toFloat32Array(step.tensor))]).toEqual([
      "value",
      [1, 2],
    ]);
  });

  it("finds the weights inside Silero VAD v5's If branches (real model)", () => {
    const model = readModel(modelBytes("sileroV5"));
    const ws = weights(model);
    const inSub = ws.filter((w) => w.path !== "main");
    expect(graphs(model).length).toBeGreaterThan(1);
    expect(inSub.length).toBeGreaterThan(0);
    const params = inSub.reduce((s, w) => s + w.tensor.dims.reduce((a, d) => a * Number(d), 1), 0);
    expect(params).toBeGreaterThan(100_000);
  });
});
