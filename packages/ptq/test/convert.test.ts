import { createMlp, type Linear } from "@quantkit/nn";
import { quantize, roundHalfToEven } from "@quantkit/quantizers";
import { describe, expect, it } from "vitest";
import { convert, createQConfig, defaultQConfig, type IntegerLinear, prepare } from "../src/index";
import { quantizedMlp, trainedMlp } from "./_fixtures";

describe("convert", () => {
  it("convert before calibration names the layer that has seen nothing", () => {
    const p = prepare(createMlp([4, 3], { seed: 0 }));
    expect(() => convert(p, { inputShape: [4] })).toThrow(
      /"quant" has no quantization parameters yet \(calibrate/,
    );
    expect(() => convert(p)).toThrow(/input shape is unknown/);
  });

  it("stores PyTorch's integer parameters: int8 weight codes, int32 bias at s_in * s_w, the observer's clamp", async () => {
    const { model } = await trainedMlp();
    const { q } = await quantizedMlp(defaultQConfig);
    const fc1 = q.layers[0] as IntegerLinear;
    const float = model.get("fc1") as Linear;
    const s = fc1.weight.scale[0]!;
    const expectedCodes = quantize(float.weight.data, float.weight.shape, {
      scale: Float32Array.of(s),
      zeroPoint: Int32Array.of(0),
      quantMin: -128,
      quantMax: 127,
      qscheme: "per_tensor_symmetric",
      dtype: "qint8",
    });
    expect(Array.from(fc1.kernel.weight)).toEqual(Array.from(expectedCodes));
    let maxAbs = 0;
    for (const w of float.weight.data) maxAbs = Math.max(maxAbs, Math.abs(w));
    expect(s).toBe(Math.fround(maxAbs / 127.5)); // PyTorch's symmetric scale: max|w| / ((127 - -128) / 2)
    for (let c = 0; c < 5; c++) {
      expect(fc1.kernel.bias[c]).toBe(roundHalfToEven(float.bias!.data[c]! / Math.fround(q.input.scale * s)));
    }
    expect(fc1.relu).toBe(true);
    expect([fc1.kernel.outputMin, fc1.kernel.outputMax]).toEqual([fc1.output.zeroPoint, 127]);
    const fc3 = q.layers[2] as IntegerLinear;
    expect([fc3.kernel.outputMin, fc3.kernel.outputMax]).toEqual([0, 127]);
    expect(q.info.qconfig).toBe("defaultQConfig");
  });

  it("prepares each kernel with its activation's [quantMin, quantMax] as the clamp, raised to the zero point by a fused ReLU", async () => {
    const { q } = await quantizedMlp(createQConfig({ bits: 4 }));
    for (const layer of q.layers) {
      const l = layer as IntegerLinear;
      expect([l.output.quantMin, l.output.quantMax]).toEqual([0, 15]);
      const min = l.relu ? l.output.zeroPoint : 0;
      expect([l.kernel.outputMin, l.kernel.outputMax]).toEqual([min, 15]);
    }
    expect(q.layers.map((l) => (l as IntegerLinear).relu)).toEqual([true, true, false]);
  });
});
