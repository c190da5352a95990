import { describe, expect, it } from "vitest";
import { consumers } from "../src/index";
import { withBranch } from "./_branchGraph";

describe("producers / consumers", () => {
  it("a node holding subgraphs reads the outer values its branches use", () => {
    const { graph, iff, add } = withBranch();
    expect(consumers(graph).get("h")).toEqual([iff, add]);
    expect(consumers(graph).get("c")).toEqual([iff]);
    expect(consumers(graph).has("t")).toBe(false);
  });
});
