import { describe, expect, it } from "vitest";
import { createParameter, SGD, type SGDOptions } from "../src/index";
import { expectClose, run } from "./_optimizerSteps";

describe("SGD equals torch.optim.SGD", () => {
  const cases: Array<[string, SGDOptions, number[][]]> = [
    [
      "plain",
      { lr: 0.1 },
      [
        [0.949999988079071, -0.47999998927116394, 0.25],
        [0.9749999642372131, -0.4899999797344208, 0.2199999988079071],
        [0.9624999761581421, -0.5299999713897705, 0.22499999403953552],
      ],
    ],
    [
      "momentum 0.9",
      { lr: 0.1, momentum: 0.9 },
      [
        [0.949999988079071, -0.47999998927116394, 0.25],
        [0.9300000071525574, -0.47200000286102295, 0.2199999988079071],
        [0.8995000123977661, -0.504800021648407, 0.1979999989271164],
      ],
    ],
    [
      "momentum, dampening 0.5, weight decay 0.1",
      { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1 },
      [
        [0.9399999976158142, -0.4749999940395355, 0.2475000023841858],
        [0.8938000202178955, -0.45512500405311584, 0.22901250422000885],
        [0.841500997543335, -0.4549618661403656, 0.21372869610786438],
      ],
    ],
    [
      "nesterov",
      { lr: 0.1, momentum: 0.9, nesterov: true },
      [
        [0.9049999713897705, -0.4620000123977661, 0.25],
        [0.9120000004768372, -0.46480000019073486, 0.19300000369548798],
        [0.8720499873161316, -0.5343199968338013, 0.17820000648498535],
      ],
    ],
    [
      "maximize",
      { lr: 0.1, maximize: true },
      [
        [1.0499999523162842, -0.5199999809265137, 0.25],
        [1.024999976158142, -0.5099999904632568, 0.2800000011920929],
        [1.037500023841858, -0.4699999988079071, 0.2750000059604645],
      ],
    ],
  ];
  it.each(cases)("%s", (_, options, expected) =>
    expectClose(
      run((ps) => new SGD(ps, options)),
      expected,
    ),
  );
  it("the first momentum step by hand: the buffer starts as the gradient, p = 1 - 0.1 * 0.5", () => {
    expect(run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 }))[0]![0]).toBe(Math.fround(0.95));
  });
  it("rejects nesterov without momentum and bad rates", () => {
    const p = [createParameter("p", [1])];
    expect(() => new SGD(p, { nesterov: true })).toThrow(
      "SGD: nesterov momentum requires a momentum and zero dampening",
    );
    expect(() => new SGD(p, { lr: -1 })).toThrow("SGD: lr must be a non-negative number, got -1");
    expect(() => new SGD([])).toThrow(/params must be a non-empty array/);
  });
});

describe("SGD options", () => {
  it("unknown option keys are errors", () => {
    expect(() => new SGD([], { learningRate: 1 } as never)).toThrow(/SGD options has an unknown key/);
  });
});
