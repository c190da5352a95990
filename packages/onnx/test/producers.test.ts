import { describe, expect, it } from "vitest";
import { consumers, getInitializer, makeGraph, makeNode, producers, readModel } from "../src/index";
import { withBranch } from "./_branchGraph";
import { modelBytes } from "./_fixtures";

describe("producers / consumers", () => {
  it("a node holding subgraphs reads the outer values its branches use", () => {
    const { graph, relu } = withBranch();
    expect(producers(graph).get("h")).toBe(relu);
    // values made inside a branch are not the outer graph's
    expect(producers(graph).has("t")).toBe(false);
  });

  it("on a real model every non-input value has one producer and graph outputs are produced", () => {
    const g = readModel(modelBytes("ocrCls")).graph!;
    const p = producers(g);
    for (const o of g.output) expect(p.has(o.name)).toBe(true);
    const c = consumers(g);
    for (const [name] of c)
      expect(
        p.has(name) || g.input.some((v) => v.name === name) || getInitializer(g, name) !== undefined,
      ).toBe(true);
  });
});

describe("producers", () => {
  it("maps each output to its node; graph inputs, initializers and empty (omitted) outputs have none", () => {
    const a = makeNode("Split", ["x"], ["p", "", "q"], { name: "split" });
    const b = makeNode("Relu", ["p"], ["r"], { name: "relu" });
    const p = producers(makeGraph({ name: "g", node: [a, b] }));
    expect([...p.entries()].map(([v, n]) => [v, n.name])).toEqual([
      ["p", "split"],
      ["q", "split"],
      ["r", "relu"],
    ]);
    expect(p.has("x")).toBe(false);
    expect(p.has("")).toBe(false);
  });
});
