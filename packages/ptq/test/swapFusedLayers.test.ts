import { Conv2d, createMlp, Flatten, Identity, Linear, type Module, ReLU, Sequential } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { fuseModules, swapFusedLayers } from "../src/index";

describe("swapFusedLayers", () => {
  it("hands every fused Linear/Conv2d to wrap, in order, with relu true for LinearReLU/ConvReLU2d, and puts the result in its place", () => {
    const model = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { seed: 0 })],
      ["relu", new ReLU()],
      ["block", new Sequential([["conv", new Conv2d(2, 2, 1, { seed: 1 })]])],
      ["flat", new Flatten()],
      ["fc1", new Linear(8, 4, { seed: 2 })],
      ["relu1", new ReLU()],
      ["fc2", new Linear(4, 3, { seed: 3 })],
    ]);
    const fused = fuseModules(model);
    const seen: Array<[string, boolean, Module]> = [];
    const made: Module[] = [];
    swapFusedLayers(fused, (layer, relu) => {
      seen.push([layer.constructor.name, relu, layer]);
      const m = new Identity();
      made.push(m);
      return m;
    });
    expect(seen.map(([name, relu]) => [name, relu])).toEqual([
      ["Conv2d", true],
      ["Conv2d", false],
      ["Linear", true],
      ["Linear", false],
    ]);
    expect(fused.get("conv")).toBe(made[0]);
    expect((fused.get("block") as Sequential).get("conv")).toBe(made[1]);
    expect(fused.get("fc1")).toBe(made[2]);
    expect(fused.get("fc2")).toBe(made[3]);
    expect(fused.get("flat")).toBeInstanceOf(Flatten);
    expect(fused.names()).toEqual(["conv", "relu", "block", "flat", "fc1", "relu1", "fc2"]);
  });

  it("leaves a model without Linear or Conv2d as it was", () => {
    const fused = fuseModules(new Sequential([["flat", new Flatten()]]));
    swapFusedLayers(fused, () => {
      throw new Error("not called");
    });
    expect(fused.get("flat")).toBeInstanceOf(Flatten);
    const mlp = fuseModules(createMlp([3, 2]));
    swapFusedLayers(mlp, (layer) => layer);
    expect(mlp.get("fc1")).toBeInstanceOf(Linear);
  });
});
