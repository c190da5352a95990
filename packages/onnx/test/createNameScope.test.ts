import { describe, expect, it } from "vitest";
import { createNameScope, makeModel } from "../src/index";
import { withBranch } from "./_branchGraph";

describe("editing", () => {
  it("createNameScope avoids every name of every graph", () => {
    const { graph } = withBranch();
    const names = createNameScope(makeModel(graph));
    expect([names.unique("t"), names.unique("t"), names.unique("fresh"), names.unique("neg")]).toEqual([
      "t_1",
      "t_2",
      "fresh",
      "neg_1",
    ]);
    expect(names.has("fresh")).toBe(true);
    expect(() => names.unique("")).toThrow(/base must be a non-empty string, got ""/);
  });
});
