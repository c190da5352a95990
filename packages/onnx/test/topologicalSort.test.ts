import { describe, expect, it } from "vitest";
import { makeGraph, makeNode, topologicalSort } from "../src/index";
import { withBranch } from "./_branchGraph";

describe("editing", () => {
  it("topologicalSort orders producers first, counting subgraph reads, and keeps valid order", () => {
    const { graph, relu, iff, add } = withBranch();
    topologicalSort(graph);
    expect(graph.node).toEqual([relu, iff, add]);
    graph.node.reverse();
    topologicalSort(graph);
    expect(graph.node).toEqual([relu, add, iff]);
    const cyc = makeGraph({
      name: "c",
      node: [makeNode("A", ["b"], ["a"], { name: "na" }), makeNode("B", ["a"], ["b"], { name: "nb" })],
    });
    expect(() => topologicalSort(cyc)).toThrow(/graph "c" has a cycle through node "n[ab]"/);
  });
});
