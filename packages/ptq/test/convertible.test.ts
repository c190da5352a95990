import { MinMaxObserver } from "@quantkit/calibrators";
import { Conv2d, createMlp, Linear, ReLU } from "@quantkit/nn";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ActivationPostProcess,
  type ConvertibleModule,
  defaultQConfig,
  isConvertibleModule,
  ObservedConv2d,
  ObservedLinear,
  ObserverModule,
  prepare,
} from "../src/index";

describe("isConvertibleModule", () => {
  it("true for the observed layers prepare makes, false for float layers and look-alikes", () => {
    const obs = () => new ObserverModule(new MinMaxObserver());
    expect(
      isConvertibleModule(new ObservedLinear(new Linear(2, 2), false, defaultQConfig.weight, obs())),
    ).toBe(true);
    expect(
      isConvertibleModule(new ObservedConv2d(new Conv2d(1, 1, 1), true, defaultQConfig.weight, obs())),
    ).toBe(true);
    const p = prepare(createMlp([4, 3, 2]));
    expect(
      p
        .namedModules()
        .filter(([, m]) => isConvertibleModule(m))
        .map(([n]) => n),
    ).toEqual(["fc1", "fc2"]);
    expect(isConvertibleModule(new ReLU())).toBe(false);
    expect(isConvertibleModule(new Linear(2, 2))).toBe(false);
    expect(isConvertibleModule(null)).toBe(false);
    expect(isConvertibleModule(undefined)).toBe(false);
    expect(
      isConvertibleModule({ quantizedKind: "pool", weightQParams: () => 0, activationPostProcess: {} }),
    ).toBe(false);
    expect(isConvertibleModule({ quantizedKind: "linear", activationPostProcess: {} })).toBe(false);
    expect(isConvertibleModule({ quantizedKind: "linear", weightQParams: () => 0 })).toBe(false);
  });
  it("types: the observed layers are ConvertibleModules, an ObserverModule an ActivationPostProcess", () => {
    expectTypeOf<ObservedLinear>().toExtend<ConvertibleModule>();
    expectTypeOf<ObservedConv2d>().toExtend<ConvertibleModule>();
    expectTypeOf<ObserverModule>().toExtend<ActivationPostProcess>();
    expectTypeOf<ConvertibleModule["quantizedKind"]>().toEqualTypeOf<"linear" | "conv2d">();
  });
});
