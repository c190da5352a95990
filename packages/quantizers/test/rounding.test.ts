import { describe, expect, it } from "vitest";
import { roundStochastic } from "../src/index";

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
