import { describe, expect, it } from "vitest";
import { Adam, type AdamOptions, createParameter, type Optimizer, SGD, type SGDOptions } from "../src/index";

// Three steps on p = [1, -0.5, 0.25] with fixed gradients; the expected values were printed by
// PyTorch 1.13 (torch.optim.SGD / Adam / AdamW on float32 tensors, Debian's python3-torch).
const P0 = [1, -0.5, 0.25];
const GRADS = [
  [0.5, -0.2, 0],
  [-0.25, 0.1, 0.3],
  [0.125, 0.4, -0.05],
];

function run(make: (params: ReturnType<typeof createParameter>[]) => Optimizer): number[][] {
  const p = createParameter("p", [3], Float32Array.from(P0));
  const opt = make([p]);
  return GRADS.map((g) => {
    opt.zeroGrad();
    p.grad.set(g);
    opt.step();
    return Array.from(p.data);
  });
}

function expectClose(actual: number[][], expected: number[][]): void {
  for (let s = 0; s < actual.length; s++) {
    for (let i = 0; i < actual[s]!.length; i++) {
      const v = actual[s]![i]!;
      const e = expected[s]![i]!;
      // float32 results: within a few ulps of PyTorch's
      expect(Math.abs(v - e), `step ${s + 1}, element ${i}: ${v} vs PyTorch ${e}`).toBeLessThanOrEqual(
        4e-7 * Math.max(1, Math.abs(e)),
      );
    }
  }
}

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

describe("Adam equals torch.optim.Adam / AdamW", () => {
  const cases: Array<[string, AdamOptions, number[][]]> = [
    [
      "defaults (lr 0.1)",
      { lr: 0.1 },
      [
        [0.9000000357627869, -0.4000000059604645, 0.25],
        [0.8733663558959961, -0.3733662962913513, 0.17558631300926208],
        [0.8393234610557556, -0.41909947991371155, 0.12935489416122437],
      ],
    ],
    [
      "weight decay 0.1 (L2)",
      { lr: 0.1, weightDecay: 0.1 },
      [
        [0.9000000357627869, -0.4000000059604645, 0.15000003576278687],
        [0.8544414043426514, -0.3522205352783203, 0.07052075862884521],
        [0.8005695343017578, -0.38318920135498047, 0.018250934779644012],
      ],
    ],
    [
      "amsgrad, betas (0.8, 0.99)",
      { lr: 0.01, betas: [0.8, 0.99], amsgrad: true },
      [
        [0.9900000095367432, -0.49000000953674316, 0.25],
        [0.9878886342048645, -0.4878886342048645, 0.24216292798519135],
        [0.9848415851593018, -0.4933256208896637, 0.23772886395454407],
      ],
    ],
    [
      "decoupled weight decay 0.1 (AdamW)",
      { lr: 0.1, weightDecay: 0.1, decoupledWeightDecay: true },
      [
        [0.89000004529953, -0.39500001072883606, 0.2475000023841858],
        [0.8544663786888123, -0.36441630125045776, 0.17061132192611694],
        [0.8118788003921509, -0.4065053164958954, 0.12267378717660904],
      ],
    ],
  ];
  it.each(cases)("%s", (_, options, expected) =>
    expectClose(
      run((ps) => new Adam(ps, options)),
      expected,
    ),
  );
  it("by hand: the first step moves each weight by lr against the gradient's sign (bias correction)", () => {
    // m = 0.1 g, v = 0.001 g^2; m / (1 - 0.9) = g, sqrt(v / (1 - 0.999)) = |g|: p - lr * g / (|g| + eps)
    const [first] = run((ps) => new Adam(ps, { lr: 0.1 }));
    expect(first![0]).toBeCloseTo(0.9, 7);
    expect(first![1]).toBeCloseTo(-0.4, 7);
    expect(first![2]).toBe(0.25); // a zero gradient leaves the weight alone
  });
  it("by hand: step 2 from the formulas in float64", () => {
    const g1 = 0.5;
    const g2 = -0.25;
    const m = 0.9 * (0.1 * g1) + 0.1 * g2;
    const v = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
    const p1 = 1 - ((0.1 / 0.1) * (0.1 * g1)) / (Math.sqrt(0.001 * g1 * g1) / Math.sqrt(0.001) + 1e-8);
    const p2 = p1 - ((0.1 / (1 - 0.9 ** 2)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expect(run((ps) => new Adam(ps, { lr: 0.1 }))[1]![0]).toBeCloseTo(p2, 6);
  });
  it("rejects bad betas", () => {
    expect(() => new Adam([createParameter("p", [1])], { betas: [1, 0.999] })).toThrow(
      "Adam: betas[0] must be in [0, 1), got 1",
    );
  });
});
