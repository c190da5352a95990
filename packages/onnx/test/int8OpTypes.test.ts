import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { INT8_DEFAULT_OP_TYPES, INT8_OP_TYPES } from "../src/int8OpTypes";
import { ortEngine } from "../src/ortEngine";
import { quantizeStatic } from "../src/quantizeStatic";
import { graph, model, tensorInfo } from "./_models";

describe("INT8_OP_TYPES and INT8_DEFAULT_OP_TYPES", () => {
  it("list the op types onnxruntime's CPU provider fuses from QDQ, weighted ones first", () => {
    expect([...INT8_OP_TYPES]).toEqual([
      "Conv",
      "MatMul",
      "Gemm",
      "Add",
      "Mul",
      "AveragePool",
      "GlobalAveragePool",
      "LeakyRelu",
      "Sigmoid",
      "Softmax",
      "Concat",
      "MaxPool",
      "Resize",
      "Transpose",
      "Reshape",
      "Flatten",
      "Squeeze",
      "Unsqueeze",
      "Slice",
      "Gather",
      "Expand",
      "Tile",
    ]);
  });

  it("the default is every type but Add, Mul and Softmax, in the same order; both lists are frozen", () => {
    expect([...INT8_DEFAULT_OP_TYPES]).toEqual(
      INT8_OP_TYPES.filter((t) => !["Add", "Mul", "Softmax"].includes(t)),
    );
    expect(Object.isFrozen(INT8_OP_TYPES)).toBe(true);
    expect(Object.isFrozen(INT8_DEFAULT_OP_TYPES)).toBe(true);
  });

  it("is what quantizeStatic's opTypes accepts: every listed type passes, another is refused with the list", async () => {
    const m = model(
      graph({
        nodes: [_node("MatMul", ["x", "W"], ["y"], "mm")],
        inputs: [tensorInfo("x", 1, [1, 2])],
        outputs: [tensorInfo("y", 1)],
        initializers: [fromArray(new Float32Array([1, 2, 3, 4]), { dims: [2, 2], name: "W" })],
      }),
      13,
    );
    const engine = ortEngine(ort);
    const samples = [{ x: { type: "float32", data: new Float32Array([0.5, -1]), dims: [1, 2] } }];
    const all = await quantizeStatic(m, { engine, samples, opTypes: INT8_OP_TYPES, evaluate: false });
    expect(all.report.nodes.find((n) => n.name === "mm")?.quantized).toBe(true);
    await expect(quantizeStatic(m, { engine, samples, opTypes: ["Erf"] })).rejects.toThrow(
      `quantizeStatic: opTypes: int8 cannot quantize "Erf" (it quantizes ${INT8_OP_TYPES.join(", ")})`,
    );
  });
});
