import { describe, expect, it } from "vitest";
import {
  AttributeType,
  allNodes,
  graphs,
  makeAttribute,
  makeGraph,
  makeModel,
  makeNode,
  readModel,
  writeModel,
} from "../src/index";
import { nestedModel } from "./_nestedModel";

describe("graphs(model) visits every graph, subgraphs of If / Loop / Scan at any depth", () => {
  it("finds then/else branches and the Loop body inside the then branch", () => {
    const model = readModel(writeModel(nestedModel()));
    expect(graphs(model).map((e) => e.path)).toEqual([
      "main",
      "main/if.then_branch",
      "main/if.then_branch/loop.body",
      "main/if.else_branch",
    ]);
    const body = graphs(model)[2]!;
    expect(body.node?.opType).toBe("Loop");
    expect(body.attribute).toBe("body");
    expect(body.parent?.name).toBe("then");
    expect(allNodes(model).length).toBe(9);
  });

  it("walks the graphs attribute (a list of graphs) too", () => {
    const sub = (n: string) => makeGraph({ name: n });
    const node = makeNode("Custom", [], ["o"], { name: "c", domain: "x" });
    node.attribute.push(makeAttribute("branches", [sub("a"), sub("b")], AttributeType.GRAPHS));
    const model = makeModel(makeGraph({ name: "m", node: [node] }));
    expect(graphs(model).map((e) => e.path)).toEqual(["main", "main/c.branches[0]", "main/c.branches[1]"]);
  });
});
