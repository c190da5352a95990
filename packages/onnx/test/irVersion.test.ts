import { describe, expect, it } from "vitest";
import { ensureIrVersion, irVersionForOpset, makeGraph, makeModel } from "../src/index";

describe("opsets and IR versions", () => {
  it("irVersionForOpset follows ONNX's release table; ensureIrVersion only raises", () => {
    expect([1, 8, 9, 10, 11, 13, 17, 19, 21, 23, 24, 25, 99].map(irVersionForOpset)).toEqual([
      3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } });
    expect([ensureIrVersion(model, 10), ensureIrVersion(model, 4)]).toEqual([10, 10]);
    expect(() => ensureIrVersion(model, 15)).toThrow(/version must be an integer in 1\.\.14, got 15/);
  });
});
