import { createMlp, Sequential } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { createQConfig, DeQuantStub, PreparedModel, prepare, QuantStub } from "../src/index";

describe("PreparedModel", () => {
  it("a Sequential from QuantStub 'quant' to DeQuantStub 'dequant', with its qconfig and sources", () => {
    const qconfig = createQConfig({ bits: 4 });
    const p = prepare(createMlp([6, 4, 2], { seed: 0 }), qconfig);
    expect(p).toBeInstanceOf(PreparedModel);
    expect(p).toBeInstanceOf(Sequential);
    expect(p.names()).toEqual(["quant", "fc1", "relu1", "fc2", "dequant"]);
    expect(p.quantStub).toBe(p.get("quant"));
    expect(p.quantStub).toBeInstanceOf(QuantStub);
    expect(p.get("dequant")).toBeInstanceOf(DeQuantStub);
    expect(p.qconfig).toBe(qconfig);
    expect([...p.sources.entries()]).toEqual([
      ["fc1", ["fc1", "relu1"]],
      ["fc2", ["fc2"]],
    ]);
  });
  it("quantStub.inputShape is one sample's shape once the model has run", () => {
    const p = prepare(createMlp([6, 4, 2], { seed: 0 }));
    expect(p.quantStub.inputShape).toBeNull();
    p.forward(new Float32Array(3 * 6), [3, 6]);
    expect(p.quantStub.inputShape).toEqual([6]);
  });
});
