import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  DataType,
  IR_VERSION,
  irVersionForOpset,
  makeGraph,
  makeModel,
  makeNode,
  makeOpsetId,
  makeValueInfo,
  readModel,
  writeModel,
} from "../src/index";

const reluGraph = () =>
  makeGraph({
    name: "relu",
    node: [makeNode("Relu", ["x"], ["y"])],
    input: [makeValueInfo("x", DataType.FLOAT, [1, 4])],
    output: [makeValueInfo("y", DataType.FLOAT, [1, 4])],
  });

describe("makeGraph / makeModel / makeOpsetId (onnx.helper)", () => {
  it("defaults: opset 21 of ai.onnx, the IR version of its release, producer quantkit", () => {
    const model = makeModel(reluGraph());
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([["", 21n]]);
    expect(model.irVersion).toBe(BigInt(irVersionForOpset(21)));
    expect(model.irVersion).toBe(10n);
    expect(model.producerName).toBe("quantkit");
    expect(model.producerVersion).toBe("");
  });
  it("opsets by domain, an explicit IR version and producer; the IR follows ai.onnx's opset otherwise", () => {
    const model = makeModel(reluGraph(), {
      opsets: { "": 17, "com.microsoft": 1 },
      producerName: "me",
      producerVersion: "2",
    });
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([
      ["", 17n],
      ["com.microsoft", 1n],
    ]);
    expect([model.irVersion, model.producerName, model.producerVersion]).toEqual([8n, "me", "2"]);
    expect(makeModel(reluGraph(), { opsets: { "com.microsoft": 1 } }).irVersion).toBe(BigInt(IR_VERSION));
    expect(makeModel(reluGraph(), { irVersion: 7 }).irVersion).toBe(7n);
  });
  it("a built model runs in onnxruntime-node: Relu of [-1, 0, 2, -3.5] is [0, 0, 2, 0]", async () => {
    const bytes = writeModel(makeModel(reluGraph(), { opsets: { "": 17 } }));
    expect(readModel(bytes).graph!.node[0]!.opType).toBe("Relu");
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor("float32", Float32Array.of(-1, 0, 2, -3.5), [1, 4]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 0, 2, 0]);
    await session.release();
  });
  it("errors name the argument and the value", () => {
    expect(() => makeModel(reluGraph(), { irVersion: 0 })).toThrow(
      `makeModel: irVersion must be an integer in 1..${IR_VERSION}, got 0`,
    );
    expect(() => makeModel(reluGraph(), { opset: {} } as never)).toThrow(/makeModel: unknown option "opset"/);
    expect(() => makeOpsetId("com.microsoft", 0)).toThrow(
      'makeOpsetId("com.microsoft"): version must be an integer >= 1, got 0',
    );
    expect(makeOpsetId("com.microsoft", 1).version).toBe(1n);
    expect(() => makeGraph({ name: "g", nodes: [] } as never)).toThrow(/makeGraph: unknown option "nodes"/);
  });
});
