import { describe, expect, it } from "vitest";
import { roundHalfToEven, roundStochastic } from "../src/index";

describe("roundStochastic", () => {
  it("roundStochastic rounds up with probability equal to the fraction", () => {
    const draws = [0.1, 0.3, 0.6];
    let k = 0;
    const rng = { next: () => draws[k++]! };
    expect([roundStochastic(2.5, rng), roundStochastic(2.5, rng), roundStochastic(2.5, rng)]).toEqual([
      3, 3, 2,
    ]);
  });
});

describe("roundHalfToEven", () => {
  it("rounds ties to the even neighbour like torch.round", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfToEven)).toEqual([
      0, 2, 2, 4, -0, -2, -2, 2, 3,
    ]);
  });
});
