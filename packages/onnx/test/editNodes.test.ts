import { describe, expect, it } from "vitest";
import { DataType, insertNodes, makeNode, redirectConsumers, removeNode, replaceNode } from "../src/index";
import { withBranch } from "./_branchGraph";

describe("editing", () => {
  it("redirectConsumers rewires readers in the graph and its branches, except the given nodes", () => {
    const { graph, add, then } = withBranch();
    const cast = makeNode("Cast", ["h"], ["h16"], { attributes: { to: DataType.FLOAT16 } });
    insertNodes(graph, [cast], 1);
    expect(redirectConsumers(graph, "h", "h16", [cast])).toBe(4);
    expect(add.input).toEqual(["h16", "h16"]);
    expect(then.node[0]!.input).toEqual(["h16"]);
    expect(cast.input).toEqual(["h"]);
  });

  it("removeNode, replaceNode, initializers", () => {
    const { graph, relu, add } = withBranch();
    replaceNode(graph, relu, [makeNode("Clip", ["x"], ["h"], { name: "clip" })]);
    removeNode(graph, add);
    expect(graph.node.map((n) => n.name)).toEqual(["clip", "if"]);
    expect(() => removeNode(graph, add)).toThrow(/removeNode: node "add" \(Add\) is not in graph "g"/);
  });
});
