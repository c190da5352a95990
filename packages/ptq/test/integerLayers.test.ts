import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "@quantkit/kernels";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  calibrate,
  convert,
  type IntegerConv2d,
  type IntegerFlatten,
  type IntegerLayer,
  type IntegerLinear,
  type IntegerMaxPool2d,
  type IntegerReLU,
  prepare,
} from "../src/index";
import { batchesOf, convNet, randomInput } from "./_fixtures";

describe("IntegerLayer: one description of each quantized layer", () => {
  it("a converted conv net: each layer's fields by kind, and the kernel's zero point and clamp match its qparams", async () => {
    const p = prepare(convNet(1));
    const x = randomInput(40 * 144, 3, -1, 2);
    await calibrate(p, batchesOf(x, new Uint8Array(40), [1, 12, 12], 8));
    const q = convert(p);
    expect(q.layers.map((l) => [l.kind, l.name, l.sourceName])).toEqual([
      ["conv2d", "conv1", "relu1"],
      ["maxpool2d", "pool", "pool"],
      ["conv2d", "conv2", "relu2"],
      ["conv2d", "conv3", "relu3"],
      ["flatten", "flatten", "flatten"],
      ["linear", "fc1", "relu4"],
      ["linear", "fc2", "fc2"],
    ]);
    for (const l of q.layers) {
      if (l.kind !== "linear" && l.kind !== "conv2d") continue;
      expect(l.kernel.outputZeroPoint, l.name).toBe(l.output.zeroPoint);
      expect([l.output.quantMin, l.output.quantMax], l.name).toEqual([0, 127]); // defaultQConfig: reduce_range
      expect(l.kernel.outputMin, l.name).toBe(l.relu ? l.output.zeroPoint : l.output.quantMin);
      expect(l.kernel.outputMax, l.name).toBe(l.output.quantMax);
      expect([l.weight.qscheme, l.weight.quantMin, l.weight.quantMax, l.weight.bits], l.name).toEqual([
        "per_tensor_symmetric",
        -128,
        127,
        8,
      ]);
      expect(l.observedRange!.min, l.name).toBeLessThanOrEqual(l.observedRange!.max);
      expect(l.weightSqnrDb!, l.name).toBeGreaterThan(30); // 8-bit weights: about 6 dB a bit
    }
    const pool = q.layers[1] as IntegerMaxPool2d;
    expect([pool.kernelSize, pool.stride, pool.padding, pool.dilation, pool.ceilMode]).toEqual([
      [2, 2],
      [2, 2],
      [0, 0],
      [1, 1],
      false,
    ]);
    expect(q.layers.map((l) => l.kind === "conv2d" && l.relu)).toEqual([
      true,
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
  it("types: the kernel is @quantkit/kernels' layer; `kind` tells the layers apart", () => {
    expectTypeOf<IntegerLinear["kernel"]>().toEqualTypeOf<QuantizedLinearLayer>();
    expectTypeOf<IntegerConv2d["kernel"]>().toEqualTypeOf<QuantizedConv2dLayer>();
    expectTypeOf<IntegerLayer["kind"]>().toEqualTypeOf<
      "linear" | "conv2d" | "maxpool2d" | "flatten" | "relu"
    >();
    expectTypeOf<Extract<IntegerLayer, { kind: "maxpool2d" }>>().toEqualTypeOf<IntegerMaxPool2d>();
    expectTypeOf<Extract<IntegerLayer, { kind: "flatten" }>>().toEqualTypeOf<IntegerFlatten>();
    expectTypeOf<Extract<IntegerLayer, { kind: "relu" }>>().toEqualTypeOf<IntegerReLU>();
    expectTypeOf<IntegerReLU>().not.toHaveProperty("output");
  });
});
