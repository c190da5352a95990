import { describe, expect, it } from "vitest";
import {
  DataType,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  readModel,
  weights,
  writeModel,
} from "../src/index";
import { MODELS, type ModelName, modelBytes } from "./_fixtures";

function equalBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("readModel / writeModel", () => {
  it.each(Object.keys(MODELS) as ModelName[])(
    "%s read and written back unchanged is byte-identical",
    (name) => {
      const bytes = modelBytes(name);
      const model = readModel(bytes, { name });
      const out = writeModel(model);
      expect(out.length).toBe(bytes.length);
      expect(equalBytes(out, bytes)).toBe(-1);
      expect(model.graph!.node.length).toBeGreaterThan(0);
    },
  );

  it("raw_data of a read model is a view into the input bytes, not a copy", () => {
    const bytes = modelBytes("ocrRec");
    const model = readModel(bytes);
    const big = weights(model).filter((w) => w.tensor.rawData.length > 1000);
    expect(big.length).toBeGreaterThan(10);
    for (const w of big) expect(w.tensor.rawData.buffer).toBe(bytes.buffer);
  });

  it("keeps unknown fields and writes them back in place", () => {
    const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } });
    const bytes = writeModel(model);
    // Append field 99 (varint 7) to the ModelProto: tag (99 << 3 | 0) = 792 = 0x98 0x06, value 0x07.
    const extended = new Uint8Array([...bytes, 0x98, 0x06, 0x07]);
    const back = writeModel(readModel(extended));
    expect(Array.from(back)).toEqual(Array.from(extended));
  });

  it("writes fields in field-number order, like ONNX's C++ writer", () => {
    const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 }, producerName: "p" });
    const bytes = writeModel(model);
    // ir_version (1) = 8, producer_name (2) = "p", graph (7), opset_import (8): tags 0x08, 0x12, 0x3a, 0x42.
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0x08, 0x08, 0x12, 0x01, 0x70]);
    expect(bytes[5]).toBe(0x3a);
    expect(bytes.indexOf(0x42)).toBeGreaterThan(5);
  });

  it("a model built here survives write -> read with every part", () => {
    const g = makeGraph({
      name: "g",
      node: [makeNode("Add", ["x", "w"], ["y"], { name: "add" })],
      input: [makeValueInfo("x", DataType.FLOAT, ["n", 2])],
      output: [makeValueInfo("y", DataType.FLOAT, ["n", 2])],
      initializer: [makeTensor("w", DataType.FLOAT, [2], [0.5, -1])],
    });
    const back = readModel(writeModel(makeModel(g, { opsets: { "": 13 } })));
    expect(back.irVersion).toBe(7n);
    expect(back.graph!.node[0]!.input).toEqual(["x", "w"]);
    expect(Array.from(back.graph!.initializer[0]!.rawData)).toEqual([0, 0, 0, 0x3f, 0, 0, 0x80, 0xbf]);
  });
});

describe("readModel errors name the input and the value", () => {
  it("rejects bytes that are not protobuf", () => {
    const text = new TextEncoder().encode("hello, this is a text file\n");
    expect(() => readModel(text, { name: "notes.txt" })).toThrow(
      /readModel\(notes\.txt\): not an ONNX model or truncated protobuf \(27 bytes, first byte 0x68\)/,
    );
  });

  it("rejects a truncated model", () => {
    const bytes = modelBytes("ocrCls");
    expect(() => readModel(bytes.subarray(0, 300_000), { name: "cls.onnx" })).toThrow(
      /readModel\(cls\.onnx\): not an ONNX model or truncated protobuf \(300000 bytes/,
    );
  });

  it("rejects protobuf that is not a model, and a model without a graph", () => {
    // A valid protobuf message of field 15 only (a varint): parses, but has neither ir_version nor graph.
    expect(() => readModel(new Uint8Array([0x78, 0x01]), { name: "x.bin" })).toThrow(
      /readModel\(x\.bin\): not an ONNX model: 2 bytes parse as protobuf but have neither ir_version nor graph/,
    );
    expect(() => readModel(new Uint8Array([0x08, 0x07]))).toThrow(
      /readModel\(model\): the model has no graph \(ir_version 7\)/,
    );
  });

  it("rejects empty input, non-bytes and unknown options", () => {
    expect(() => readModel(new Uint8Array(0), { name: "empty.onnx" })).toThrow(/empty input/);
    expect(() => readModel([1, 2] as unknown as Uint8Array)).toThrow(
      /bytes must be a Uint8Array, got \[1, 2\]/,
    );
    expect(() => readModel(new Uint8Array([8, 7]), { nmae: "x" } as never)).toThrow(/unknown option "nmae"/);
  });
});
