import { describe, expect, it } from "vitest";
import {
  AttributeType,
  allNodes,
  constantTensor,
  DataType,
  graphs,
  makeAttribute,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  readModel,
  setWeight,
  toArray,
  toFloat32Array,
  weights,
  writeModel,
} from "../src/index";
import { modelBytes } from "./_fixtures";

const list = (a: ArrayLike<unknown>): unknown[] => Array.from(a);

/** x -> If(cond) { then: Loop (body adds a Constant) ; else: Mul by an initializer } -> y */
function nestedModel() {
  const body = makeGraph({
    name: "loop_body",
    node: [
      makeNode("Constant", [], ["step"], { attributes: { value_floats: [0.25, 0.5] } }),
      makeNode("Add", ["acc_in", "step"], ["acc_out"], { name: "body_add" }),
      makeNode("Identity", ["cond_in"], ["cond_out"]),
    ],
    input: [
      makeValueInfo("i", DataType.INT64, []),
      makeValueInfo("cond_in", DataType.BOOL, []),
      makeValueInfo("acc_in", DataType.FLOAT, [2]),
    ],
    output: [makeValueInfo("cond_out", DataType.BOOL, []), makeValueInfo("acc_out", DataType.FLOAT, [2])],
  });
  const thenBranch = makeGraph({
    name: "then",
    node: [
      makeNode("Constant", [], ["trip"], { attributes: { value_int: 3 } }),
      makeNode("Loop", ["trip", "", "x"], ["t_out"], { name: "loop", attributes: { body } }),
    ],
    output: [makeValueInfo("t_out", DataType.FLOAT, [2])],
  });
  const elseBranch = makeGraph({
    name: "else",
    node: [makeNode("Mul", ["x", "k"], ["e_out"], { name: "else_mul" })],
    initializer: [makeTensor("k", DataType.FLOAT, [2], [2, 3])],
    output: [makeValueInfo("e_out", DataType.FLOAT, [2])],
  });
  const main = makeGraph({
    name: "main",
    node: [
      makeNode("Constant", [], ["w"], {
        attributes: { value: makeTensor("", DataType.FLOAT, [2], [1, -1]) },
      }),
      makeNode("Add", ["in", "w"], ["x"], { name: "add" }),
      makeNode("If", ["cond"], ["y"], {
        name: "if",
        attributes: { then_branch: thenBranch, else_branch: elseBranch },
      }),
    ],
    input: [makeValueInfo("in", DataType.FLOAT, [2]), makeValueInfo("cond", DataType.BOOL, [])],
    output: [makeValueInfo("y", DataType.FLOAT, [2])],
    initializer: [makeTensor("unused", DataType.INT8, [1], [5])],
  });
  return makeModel(main, { opsets: { "": 17 } });
}

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

describe("weights(model): initializers and Constant nodes in every graph", () => {
  it("finds all five weights of the nested model with their values", () => {
    const model = readModel(writeModel(nestedModel()));
    const found = weights(model).map((w) => [w.name, w.kind, w.path, Array.from(toFloat32Array(w.tensor))]);
    expect(found).toEqual([
      ["unused", "initializer", "main", [5]],
      ["k", "initializer", "main/if.else_branch", [2, 3]],
      ["w", "constant", "main", [1, -1]],
      ["trip", "constant", "main/if.then_branch", [3]],
      ["step", "constant", "main/if.then_branch/loop.body", [0.25, 0.5]],
    ]);
    expect(weights(model).find((w) => w.name === "trip")!.tensor.dataType).toBe(DataType.INT64);
  });

  it("constantTensor decodes value_float, value_ints and value_strings", () => {
    const f = makeNode("Constant", [], ["c"], { attributes: { value_float: 0.5 } });
    f.attribute[0]!.type = AttributeType.FLOAT;
    expect(list(toArray(constantTensor(f)))).toEqual([0.5]);
    expect(constantTensor(f).dims).toEqual([]);
    const ints = makeNode("Constant", [], ["c"], { attributes: { value_ints: [1, -2] } });
    expect(list(toArray(constantTensor(ints)) as BigInt64Array)).toEqual([1n, -2n]);
    expect(() => constantTensor(makeNode("Relu", ["x"], ["y"], { name: "r" }))).toThrow(
      /constantTensor\(node "r"\): not a Constant node \(op_type "Relu"/,
    );
  });

  it("setWeight replaces an initializer in place and turns a Constant into value", () => {
    const model = nestedModel();
    const ws = weights(model);
    setWeight(ws.find((w) => w.name === "k")!, makeTensor("", DataType.FLOAT16, [2], [4, 5]));
    setWeight(ws.find((w) => w.name === "step")!, makeTensor("", DataType.FLOAT16, [2], [1, 2]));
    const again = weights(readModel(writeModel(model)));
    const k = again.find((w) => w.name === "k")!;
    const step = again.find((w) => w.name === "step")!;
    expect([k.tensor.dataType, Array.from(toFloat32Array(k.tensor))]).toEqual([DataType.FLOAT16, [4, 5]]);
    expect([step.node!.attribute[0]!.name, Array.from(toFloat32Array(step.tensor))]).toEqual([
      "value",
      [1, 2],
    ]);
  });

  it("finds the weights inside Silero VAD v5's If branches (real model)", () => {
    const model = readModel(modelBytes("sileroV5"));
    const ws = weights(model);
    const inSub = ws.filter((w) => w.path !== "main");
    expect(graphs(model).length).toBeGreaterThan(1);
    expect(inSub.length).toBeGreaterThan(0);
    const params = inSub.reduce((s, w) => s + w.tensor.dims.reduce((a, d) => a * Number(d), 1), 0);
    expect(params).toBeGreaterThan(100_000);
  });
});
