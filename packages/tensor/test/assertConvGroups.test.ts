import { describe, expect, it } from "vitest";
import { assertConvGroups } from "../src/index";

describe("assertConvGroups", () => {
  it("accepts a positive integer that divides both channel counts (depthwise and 1 included)", () => {
    for (const [inC, outC, g] of [
      [4, 6, 1],
      [4, 6, 2],
      [6, 6, 6],
      [3, 12, 3],
    ] as const) {
      expect(() => assertConvGroups(inC, outC, g)).not.toThrow();
    }
  });

  it("names the argument, the prefix and the bad values", () => {
    expect(() => assertConvGroups(4, 6, 3)).toThrow(
      new RangeError("groups (3) must divide inChannels (4) and outChannels (6)"),
    );
    expect(() => assertConvGroups(6, 4, 3, "layer.")).toThrow(
      new RangeError("layer.groups (3) must divide layer.inChannels (6) and layer.outChannels (4)"),
    );
    expect(() => assertConvGroups(4, 4, 0)).toThrow(
      new RangeError("groups must be a positive integer, got 0"),
    );
    expect(() => assertConvGroups(4, 4, 1.5)).toThrow(
      new RangeError("groups must be a positive integer, got 1.5"),
    );
    expect(() => assertConvGroups(4, 4, "2" as never)).toThrow(
      new TypeError("groups must be a number, got string"),
    );
  });
});
