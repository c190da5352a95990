import { describe, expect, it } from "vitest";
import { Linear, ReLU, Sequential, sequentialLeaves } from "../src/index";

describe("sequentialLeaves", () => {
  it("sequentialLeaves(model) walks into nested Sequentials, in order, with dotted paths", () => {
    const fc1 = new Linear(4, 3, { seed: 0 });
    const relu = new ReLU();
    const fc2 = new Linear(3, 2, { seed: 1 });
    const model = new Sequential([
      ["fc1", fc1],
      [
        "block",
        new Sequential([
          ["relu", relu],
          ["inner", new Sequential([["fc2", fc2]])],
        ]),
      ],
    ]);
    expect(sequentialLeaves(model)).toEqual([
      ["fc1", fc1],
      ["block.relu", relu],
      ["block.inner.fc2", fc2],
    ]);
    expect(sequentialLeaves(fc1)).toEqual([["", fc1]]);
  });
});
