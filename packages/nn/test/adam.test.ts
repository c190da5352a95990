import { describe, expect, it } from "vitest";
import { Adam, type AdamOptions, createParameter } from "../src/index";
import { expectClose, run } from "./_optimizerSteps";

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

describe("Adam options", () => {
  it("unknown option keys are errors", () => {
    expect(() => new Adam([], { beta: [0.9, 0.99] } as never)).toThrow(
      /Adam options has an unknown key "beta"/,
    );
  });
});
