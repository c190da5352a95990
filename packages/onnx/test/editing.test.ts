import { describe, expect, it } from "vitest";
import {
  consumers,
  createNameScope,
  DataType,
  ensureIrVersion,
  getAttribute,
  getInitializer,
  insertNodes,
  irVersionForOpset,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  opsetVersion,
  producers,
  readModel,
  redirectConsumers,
  removeInitializer,
  removeNode,
  replaceNode,
  setAttribute,
  setInitializer,
  setOpsetVersion,
  setValueType,
  topologicalSort,
  valueType,
  writeModel,
} from "../src/index";
import { modelBytes } from "./_fixtures";

function withBranch() {
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

describe("producers / consumers", () => {
  it("a node holding subgraphs reads the outer values its branches use", () => {
    const { graph, relu, iff, add } = withBranch();
    expect(producers(graph).get("h")).toBe(relu);
    expect(consumers(graph).get("h")).toEqual([iff, add]);
    expect(consumers(graph).get("c")).toEqual([iff]);
    expect(consumers(graph).has("t")).toBe(false);
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

  it("redirectConsumers rewires readers in the graph and its branches, except the given nodes", () => {
    const { graph, add, then } = withBranch();
    const cast = makeNode("Cast", ["h"], ["h16"], { attributes: { to: DataType.FLOAT16 } });
    insertNodes(graph, [cast], 1);
    expect(redirectConsumers(graph, "h", "h16", [cast])).toBe(4);
    expect(add.input).toEqual(["h16", "h16"]);
    expect(then.node[0]!.input).toEqual(["h16"]);
    expect(cast.input).toEqual(["h"]);
  });

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

  it("removeNode, replaceNode, initializers", () => {
    const { graph, relu, add } = withBranch();
    replaceNode(graph, relu, [makeNode("Clip", ["x"], ["h"], { name: "clip" })]);
    removeNode(graph, add);
    expect(graph.node.map((n) => n.name)).toEqual(["clip", "if"]);
    expect(() => removeNode(graph, add)).toThrow(/removeNode: node "add" \(Add\) is not in graph "g"/);
    setInitializer(graph, makeTensor("w", DataType.FLOAT, [1], [1]));
    setInitializer(graph, makeTensor("w", DataType.FLOAT, [2], [1, 2]));
    expect(graph.initializer.length).toBe(1);
    expect(getInitializer(graph, "w")!.dims).toEqual([2n]);
    expect([removeInitializer(graph, "w"), removeInitializer(graph, "w")]).toEqual([true, false]);
  });

  it("valueType / setValueType read and change value_info, inputs and outputs", () => {
    const g = makeGraph({
      name: "g",
      input: [makeValueInfo("x", DataType.FLOAT, ["n", 3])],
      output: [makeValueInfo("y", DataType.FLOAT, [null])],
    });
    expect(valueType(g, "x")).toEqual({ elemType: DataType.FLOAT, shape: ["n", 3] });
    expect(setValueType(g, "x", DataType.FLOAT16)).toBe(1);
    expect(valueType(g, "x")).toEqual({ elemType: DataType.FLOAT16, shape: ["n", 3] });
    expect(setValueType(g, "h", DataType.FLOAT16, [2])).toBe(1);
    expect(g.valueInfo.map((v) => v.name)).toEqual(["h"]);
    expect(valueType(readModel(writeModel(makeModel(g))).graph!, "y")).toEqual({
      elemType: DataType.FLOAT,
      shape: [null],
    });
  });

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
    expect(() => makeNode("X", [], [], { attrs: {} } as never)).toThrow(/makeNode: unknown option "attrs"/);
  });
});

describe("opsets and IR versions", () => {
  it("opsetVersion reads ai.onnx and other domains; setOpsetVersion adds or changes", () => {
    const model = readModel(modelBytes("sileroV5"));
    expect(opsetVersion(model)).toBe(16);
    expect(opsetVersion(model, "ai.onnx")).toBe(16);
    setOpsetVersion(model, "com.microsoft", 1);
    setOpsetVersion(model, "", 17);
    expect([opsetVersion(model, "com.microsoft"), opsetVersion(model)]).toEqual([1, 17]);
    expect(() => setOpsetVersion(model, "", 0)).toThrow(/version must be an integer >= 1, got 0/);
  });

  it("irVersionForOpset follows ONNX's release table; ensureIrVersion only raises", () => {
    expect([1, 8, 9, 10, 11, 13, 17, 19, 21, 23, 24, 25, 99].map(irVersionForOpset)).toEqual([
      3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    ]);
    const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } });
    expect([ensureIrVersion(model, 10), ensureIrVersion(model, 4)]).toEqual([10, 10]);
    expect(() => ensureIrVersion(model, 15)).toThrow(/version must be an integer in 1\.\.14, got 15/);
  });
});
