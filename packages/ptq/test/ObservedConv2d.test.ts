import { MinMaxObserver } from "@quantkit/calibrators";
import { Conv2d } from "@quantkit/nn";
import { describe, expect, it } from "vitest";
import { defaultPerChannelQConfig, ObservedConv2d, ObserverModule } from "../src/index";
import { randomInput } from "./_fixtures";

describe("ObservedConv2d", () => {
  it("computes the float Conv2d (+ ReLU) and observes that output", () => {
    for (const relu of [false, true]) {
      const float = new Conv2d(2, 3, 3, { padding: 1, seed: 6 });
      const layer = new ObservedConv2d(
        float,
        relu,
        defaultPerChannelQConfig.weight,
        new ObserverModule(new MinMaxObserver()),
      );
      const x = randomInput(2 * 2 * 4 * 4, 10, -1, 1);
      const expected = float.forward(x, [2, 2, 4, 4]).data.map((v) => (relu ? Math.max(v, 0) : v));
      const y = layer.forward(x, [2, 2, 4, 4]);
      expect(y.shape).toEqual([2, 3, 4, 4]);
      expect(Array.from(y.data)).toEqual(Array.from(expected));
      expect(layer.activationPostProcess.observedRange()).toEqual({
        min: Math.min(...expected),
        max: Math.max(...expected),
      });
      expect(layer.quantizedKind).toBe("conv2d");
      expect(layer.toString()).toMatch(
        new RegExp(
          `^ObservedConv2d\\(2, 3, kernel_size=\\(3, 3\\), stride=\\(1, 1\\), padding=\\(1, 1\\), relu=${relu ? "True" : "False"}\n  \\(activation_post_process\\): ObserverModule\\(`,
        ),
      );
    }
  });
  it("weightQParams per output channel: max|w| over [C/groups, kH, kW] / 127.5", () => {
    const float = new Conv2d(2, 3, 3, { seed: 7 });
    const layer = new ObservedConv2d(
      float,
      false,
      defaultPerChannelQConfig.weight,
      new ObserverModule(new MinMaxObserver()),
    );
    const q = layer.weightQParams();
    expect(q.qscheme).toBe("per_channel_symmetric");
    for (let o = 0; o < 3; o++) {
      const block = Array.from(float.weight.data.subarray(o * 18, (o + 1) * 18), Math.abs);
      expect(q.scale[o]).toBe(Math.fround(Math.max(...block) / 127.5));
    }
  });
});
