import { describe, expect, it } from "vitest";
import {
  DataType,
  inspect,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  readModel,
  writeModel,
} from "../src/index";
import { modelBytes } from "./_fixtures";

describe("inspect(model)", () => {
  it("counts ops, weights, parameters and bytes per dtype of a built model", () => {
    const g = makeGraph({
      name: "g",
      node: [
        makeNode("Constant", [], ["c"], {
          attributes: { value: makeTensor("", DataType.INT64, [2], [1, 2]) },
        }),
        makeNode("MatMul", ["x", "w"], ["h"]),
        makeNode("MatMulNBits", ["h", "q"], ["y"], { domain: "com.microsoft" }),
      ],
      input: [makeValueInfo("x", DataType.FLOAT, ["n", 2])],
      output: [makeValueInfo("y", DataType.FLOAT, ["n", 2])],
      initializer: [
        makeTensor("w", DataType.FLOAT, [2, 2], [1, 2, 3, 4]),
        makeTensor("q", DataType.INT4, [3], [1, 2, 3]),
      ],
    });
    const r = inspect(makeModel(g, { opsets: { "": 17, "com.microsoft": 1 } }));
    expect(r).toMatchObject({
      irVersion: 8,
      opsets: { "": 17, "com.microsoft": 1 },
      graphs: 1,
      nodes: 3,
      ops: { Constant: 1, MatMul: 1, "com.microsoft.MatMulNBits": 1 },
      weights: 3,
      parameters: 9,
      dtypes: {
        float32: { tensors: 1, parameters: 4, sizeBytes: 16 },
        int4: { tensors: 1, parameters: 3, sizeBytes: 2 },
        int64: { tensors: 1, parameters: 2, sizeBytes: 16 },
      },
      weightBytes: 34,
      modelBytes: writeModel(makeModel(g, { opsets: { "": 17, "com.microsoft": 1 } })).length,
      externalBytes: 0,
      inputs: [{ name: "x", elemType: DataType.FLOAT, shape: ["n", 2] }],
    });
  });

  it("reports the PP-OCR direction classifier: float32 weights, opset, IR, inputs", () => {
    const bytes = modelBytes("ocrCls");
    const r = inspect(readModel(bytes));
    const f32 = r.dtypes.float32!;
    expect(f32.parameters / r.parameters).toBeGreaterThan(0.999);
    expect(f32.sizeBytes).toBe(4 * f32.parameters);
    expect(r.weightBytes).toBe(Object.values(r.dtypes).reduce((s, d) => s + d.sizeBytes, 0));
    // Weights take nearly the whole file; the rest is the graph.
    expect(r.weightBytes / bytes.length).toBeGreaterThan(0.9);
    expect(r.weightBytes).toBeLessThan(bytes.length);
    expect(r.modelBytes).toBe(bytes.length);
    expect(r.ops.Conv).toBeGreaterThan(10);
    expect(r.inputs.map((i) => i.name)).toEqual(["x"]);
    expect(r.irVersion).toBeGreaterThanOrEqual(3);
    expect(Object.keys(r.opsets)).toContain("");
  });

  it("counts Silero VAD v5's subgraphs and the weights inside them", () => {
    const r = inspect(readModel(modelBytes("sileroV5")));
    expect(r.graphs).toBeGreaterThan(1);
    expect(r.ops.If).toBeGreaterThan(0);
    expect(r.parameters).toBeGreaterThan(300_000);
  });
});
