import { createMlp, parseSafetensors, serializeSafetensors, stateDict } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import {
  createQConfig,
  defaultPerChannelQConfig,
  defaultQConfig,
  parseQuantizedModel,
  type QConfig,
  serializeQuantizedModel,
} from "../src/index";
import { convNet, quantizedModel, randomInput } from "./_fixtures";

const MLP_CASES: Array<[string, QConfig, string]> = [
  ["int8 per tensor", defaultQConfig, "I8"],
  ["int8 per channel", defaultPerChannelQConfig, "I8"],
  ["w5a5", createQConfig({ bits: 5 }), "I8"],
  ["w4a4 (packed two per byte)", createQConfig({ bits: 4 }), "U8"],
  [
    "w3a8 per channel (packed as int4)",
    createQConfig({ weightBits: 3, activationBits: 8, perChannel: true }),
    "U8",
  ],
  ["w2a2 (packed four per byte)", createQConfig({ bits: 2 }), "U8"],
];

describe("the integer model on disk", () => {
  it.each(MLP_CASES)(
    "%s: save and load give the same model and the same codes",
    async (_name, qconfig, weightDtype) => {
      const q = await quantizedModel(createMlp([20, 12, 6], { seed: 2 }), qconfig, [20]);
      const bytes = serializeQuantizedModel(q);
      const file = parseSafetensors(bytes);
      const w = file.tensors["fc1.weight"] ?? file.tensors["fc1.weight_packed"]!;
      expect(w.dtype).toBe(weightDtype);
      const bits = q.linearLayers[0]!.weight.bits;
      if (bits <= 4) expect(w.shape).toEqual([Math.ceil(240 / (bits <= 2 ? 4 : 2))]);
      expect(file.tensors["fc1.bias"]!.dtype).toBe("I32");
      expect(file.metadata.format).toBe("quantkit.quantized-model");
      const back = parseQuantizedModel(bytes);
      expect(back.inputShape).toEqual(q.inputShape);
      expect(back.input).toEqual(q.input);
      for (const [i, l] of back.layers.entries()) {
        const o = q.layers[i]!;
        expect(l.kind).toBe(o.kind);
        expect(back.activations[i]).toEqual(q.activations[i]);
        if (l.kind === "linear" && o.kind === "linear") {
          expect(Array.from(l.kernel.weight)).toEqual(Array.from(o.kernel.weight));
          expect(Array.from(l.kernel.bias)).toEqual(Array.from(o.kernel.bias));
          expect(Array.from(l.kernel.multiplier)).toEqual(Array.from(o.kernel.multiplier));
          expect([l.kernel.outputMin, l.kernel.outputMax]).toEqual([o.kernel.outputMin, o.kernel.outputMax]);
          expect(l.weight).toEqual(o.weight);
          expect(l.observedRange).toEqual(o.observedRange);
        }
      }
      const x = randomInput(30 * 20, 11, -1, 3);
      expect(Array.from(back.forward(x, 30).data)).toEqual(Array.from(q.forward(x, 30).data));
      // serialising the loaded model gives the same bytes
      expect(Array.from(serializeQuantizedModel(back))).toEqual(Array.from(bytes));
    },
  );

  it("a conv net round-trips (conv geometry, max pooling, flatten)", async () => {
    const q = await quantizedModel(convNet(3), createQConfig({ bits: 4, perChannel: true }), [1, 12, 12]);
    const back = parseQuantizedModel(serializeQuantizedModel(q));
    expect(back.layers.map((l) => l.kind)).toEqual(q.layers.map((l) => l.kind));
    const x = randomInput(4 * 144, 12);
    expect(Array.from(back.predict(x, 4))).toEqual(Array.from(q.predict(x, 4)));
    expect(Array.from(back.forward(x, 4).data)).toEqual(Array.from(q.forward(x, 4).data));
  });

  it("the seed's MLP: about 359 KB as float32, at most 100 KB as int8, at most 60 KB with 4-bit weights", async () => {
    const mlp = createMlp([784, 100, 100, 10], { seed: 0 });
    const fp32 = serializeSafetensors(stateDict(mlp)).length;
    const int8 = serializeQuantizedModel(await quantizedModel(mlp, defaultQConfig, [784])).length;
    const int4 = serializeQuantizedModel(await quantizedModel(mlp, createQConfig({ bits: 4 }), [784])).length;
    // 89,610 weights + 210 biases: 358,440 bytes of float32 data; 89,610 + 840 + the parameters as int8
    expect(fp32).toBeGreaterThan(358_440);
    expect(fp32).toBeLessThan(360_000);
    expect(int8).toBeGreaterThan(89_610 + 840);
    expect(int8).toBeLessThanOrEqual(100_000);
    expect(int4).toBeGreaterThan(89_610 / 2 + 840);
    expect(int4).toBeLessThanOrEqual(60_000);
  });
});
