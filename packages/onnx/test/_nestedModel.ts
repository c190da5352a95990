import { DataType, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo } from "../src/index";

/** x -> If(cond) { then: Loop (body adds a Constant) ; else: Mul by an initializer } -> y */
export function nestedModel() {
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
