import { MinMaxObserver } from "@quantkit/calibrators";
import { createMlp, ReLU, Sequential } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import {
  createQConfig,
  DeQuantStub,
  defaultQConfig,
  fuseModules,
  ObserverModule,
  PreparedModel,
  prepare,
  QuantStub,
} from "../src/index";

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
  it("the constructor puts the stubs around the fused layers and keeps the fused model's sources", () => {
    const fused = fuseModules(createMlp([6, 4, 2], { seed: 0 }));
    const quant = new QuantStub(new ObserverModule(new MinMaxObserver()));
    const p = new PreparedModel(quant, fused, defaultQConfig);
    expect(p.names()).toEqual(["quant", "fc1", "relu1", "fc2", "dequant"]);
    expect(p.quantStub).toBe(quant);
    expect(p.get("fc1")).toBe(fused.get("fc1"));
    expect(p.get("dequant")).toBeInstanceOf(DeQuantStub);
    expect(p.sources).toBe(fused.sources);
  });
  it("rejects a fused model with a child named 'quant' or 'dequant', naming the caller", () => {
    for (const reserved of ["quant", "dequant"]) {
      const m = createMlp([2, 2]);
      m.append(reserved, new ReLU());
      const quant = new QuantStub(new ObserverModule(new MinMaxObserver()));
      expect(() => new PreparedModel(quant, fuseModules(m), defaultQConfig, "prepareQat")).toThrow(
        new RangeError(`prepareQat: the model already has a child named "${reserved}"; rename it`),
      );
    }
  });
  it("quantStub.inputShape is one sample's shape once the model has run", () => {
    const p = prepare(createMlp([6, 4, 2], { seed: 0 }));
    expect(p.quantStub.inputShape).toBeNull();
    p.forward(new Float32Array(3 * 6), [3, 6]);
    expect(p.quantStub.inputShape).toEqual([6]);
  });
});
