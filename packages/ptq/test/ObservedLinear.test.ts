import { MinMaxObserver } from "@quantkit/calibrators";
import { Linear } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { defaultPerChannelQConfig, defaultQConfig, ObservedLinear, ObserverModule } from "../src/index";
import { randomInput } from "./_fixtures";

function observed(relu: boolean, weight = defaultQConfig.weight) {
  const float = new Linear(4, 3, { seed: 5 });
  return { float, layer: new ObservedLinear(float, relu, weight, new ObserverModule(new MinMaxObserver())) };
}

describe("ObservedLinear", () => {
  it("computes the float Linear (+ ReLU) and observes that output", () => {
    for (const relu of [false, true]) {
      const { float, layer } = observed(relu);
      const x = randomInput(6 * 4, 8, -2, 2);
      const expected = float.forward(x, [6, 4]).data.map((v) => (relu ? Math.max(v, 0) : v));
      expect(Array.from(layer.forward(x, [6, 4]).data)).toEqual(Array.from(expected));
      expect(layer.activationPostProcess.observedRange()).toEqual({
        min: Math.min(...expected),
        max: Math.max(...expected),
      });
      expect(layer.quantizedKind).toBe("linear");
    }
  });
  it("weightQParams: PyTorch's symmetric scale max|w| / 127.5 per tensor, per output row per channel", () => {
    const { float, layer } = observed(false);
    const w = float.weight.data;
    let maxAbs = 0;
    for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    const q = layer.weightQParams();
    expect(q.qscheme).toBe("per_tensor_symmetric");
    expect(q.scale[0]).toBe(Math.fround(maxAbs / 127.5));
    expect(q.zeroPoint[0]).toBe(0);
    const perChannel = observed(false, defaultPerChannelQConfig.weight).layer.weightQParams();
    expect(perChannel.scale.length).toBe(3);
    for (let o = 0; o < 3; o++) {
      const row = Array.from(w.subarray(o * 4, o * 4 + 4), Math.abs);
      expect(perChannel.scale[o]).toBe(Math.fround(Math.max(...row) / 127.5));
    }
  });
  it("backward goes through the ReLU mask into the float Linear; parameters keep its names", () => {
    const { float, layer } = observed(true);
    const x = randomInput(2 * 4, 9, -2, 2);
    const y = layer.forward(x, [2, 4]).data;
    const gx = layer.backward(new Float32Array(6).fill(1));
    const ref = new Linear(4, 3, { seed: 5 });
    ref.forward(x, [2, 4]);
    const gref = ref.backward(Float32Array.from(y, (v) => (v > 0 ? 1 : 0)));
    expect(Array.from(gx)).toEqual(Array.from(gref));
    expect(Array.from(float.weight.grad)).toEqual(Array.from(ref.weight.grad));
    expect(layer.parameters().map((p) => p.name)).toEqual(["weight", "bias"]);
    expect(layer.toString()).toBe(
      [
        "ObservedLinear(in_features=4, out_features=3, bias=True, relu=True",
        "  (activation_post_process): ObserverModule(MinMaxObserver, dtype=quint8, qscheme=per_tensor_affine, quant_min=0, quant_max=255)",
        ")",
      ].join("\n"),
    );
  });
});
