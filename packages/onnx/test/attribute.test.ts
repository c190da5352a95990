import { describe, expect, it } from "vitest";
import { getAttribute, makeNode, setAttribute } from "../src/index";

describe("editing", () => {
  it("attributes: make, get, set", () => {
    const n = makeNode("Gemm", ["a", "b"], ["y"], {
      attributes: { alpha: 0.5, transB: 1, mode: "x", perm: [1, 0] },
    });
    expect([
      getAttribute(n, "alpha"),
      getAttribute(n, "transB"),
      getAttribute(n, "mode"),
      getAttribute(n, "perm"),
    ]).toEqual([0.5, 1n, "x", [1n, 0n]]);
    setAttribute(n, "transB", 0);
    expect(getAttribute(n, "transB")).toBe(0n);
    expect(getAttribute(n, "missing")).toBeUndefined();
  });
});
