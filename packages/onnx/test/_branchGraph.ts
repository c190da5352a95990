import { DataType, makeGraph, makeNode, makeValueInfo } from "../src/index";

/** x -> Relu -> h; If(c) { then: Neg(h) ; else: Identity(h) } -> y; Add(h, h) -> z. */
export function withBranch() {
  const then = makeGraph({
    name: "then",
    node: [makeNode("Neg", ["h"], ["t"], { name: "neg" })],
    output: [makeValueInfo("t", DataType.FLOAT, [])],
  });
  const other = makeGraph({
    name: "else",
    node: [makeNode("Identity", ["h"], ["e"])],
    output: [makeValueInfo("e", DataType.FLOAT, [])],
  });
  const relu = makeNode("Relu", ["x"], ["h"], { name: "relu" });
  const iff = makeNode("If", ["c"], ["y"], {
    name: "if",
    attributes: { then_branch: then, else_branch: other },
  });
  const add = makeNode("Add", ["h", "h"], ["z"], { name: "add" });
  return { graph: makeGraph({ name: "g", node: [relu, iff, add] }), relu, iff, add, then };
}
