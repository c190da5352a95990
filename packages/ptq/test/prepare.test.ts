import { createMlp, Identity, Linear, ReLU } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import {
  calibrate,
  DeQuantStub,
  defaultQConfig,
  isConvertibleModule,
  ObservedConv2d,
  ObservedLinear,
  ObserverModule,
  prepare,
  QuantStub,
} from "../src/index";
import { batchesOf, convNet, randomInput } from "./_fixtures";

describe("prepare", () => {
  it("puts a QuantStub first, observed fused layers in between and a DeQuantStub last, as PyTorch's eager mode", () => {
    const mlp = createMlp([8, 6, 4, 3], { seed: 0 });
    const p = prepare(mlp, defaultQConfig);
    expect(p.names()).toEqual(["quant", "fc1", "relu1", "fc2", "relu2", "fc3", "dequant"]);
    expect(p.get("quant")).toBeInstanceOf(QuantStub);
    expect(p.get("dequant")).toBeInstanceOf(DeQuantStub);
    const fc1 = p.get("fc1") as ObservedLinear;
    expect(fc1).toBeInstanceOf(ObservedLinear);
    expect(fc1.relu).toBe(true);
    expect((p.get("fc3") as ObservedLinear).relu).toBe(false);
    expect(p.get("relu1")).toBeInstanceOf(Identity);
    expect(isConvertibleModule(fc1)).toBe(true);
    expect(isConvertibleModule(new ReLU())).toBe(false);
    expect(fc1.activationPostProcess).toBeInstanceOf(ObserverModule);
    expect(p.parameters().map((q) => q.name)).toEqual(mlp.parameters().map((q) => q.name));
    expect(p.training).toBe(false);
    // the float model is untouched
    expect(mlp.get("fc1")).toBeInstanceOf(Linear);
  });

  it("observes the input and each fused layer's output: min-max ranges equal the float values' extremes", async () => {
    const mlp = createMlp([8, 6, 3], { seed: 1 });
    const p = prepare(mlp, defaultQConfig);
    const x = randomInput(40 * 8, 2, -2, 3);
    await calibrate(p, batchesOf(x, new Uint8Array(40), [8], 16));
    const input = (p.get("quant") as QuantStub).activationPostProcess.observedRange()!;
    expect(input.min).toBe(Math.min(...x));
    expect(input.max).toBe(Math.max(...x));
    mlp.eval();
    const hidden = (mlp.get("relu1") as ReLU).forward(
      (mlp.get("fc1") as Linear).forward(x, [40, 8]).data,
      [40, 6],
    ).data;
    const fc1 = (p.get("fc1") as ObservedLinear).activationPostProcess;
    expect(fc1.observedRange()).toEqual({ min: Math.min(...hidden), max: Math.max(...hidden) });
    // the observer's qparams are PyTorch's for that range: scale = max / 127, zero point 0 (min 0 after ReLU)
    const q = fc1.calculateQParams();
    expect(q.scale[0]).toBe(Math.fround(Math.fround(Math.max(...hidden) - 0) / 127));
    expect(q.zeroPoint[0]).toBe(0);
    expect((p.get("quant") as QuantStub).inputShape).toEqual([8]);
  });

  it("prepares a conv net: Conv2d+BatchNorm2d+ReLU becomes one ObservedConv2d with the ReLU fused", () => {
    const p = prepare(convNet(0));
    expect(p.get("conv1")).toBeInstanceOf(ObservedConv2d);
    expect((p.get("conv1") as ObservedConv2d).relu).toBe(true);
    expect(p.get("bn1")).toBeInstanceOf(Identity);
    expect(p.sources.get("conv3")).toEqual(["conv3", "bn3", "relu3"]);
  });

  it("rejects a model that already uses the stubs' names", () => {
    const m = createMlp([2, 2]);
    m.append("quant", new ReLU());
    expect(() => prepare(m)).toThrow(/already has a child named "quant"/);
  });
});
