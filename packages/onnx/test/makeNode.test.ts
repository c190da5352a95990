import { toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AttributeType, getAttribute, makeGraph, makeNode, NodeProtoSchema } from "../src/index";
import { hex } from "./_bytes";

describe("makeNode (onnx.helper.make_node)", () => {
  it("encodes as onnx.proto's NodeProto: input 1, output 2, name 3, op_type 4, domain 7", () => {
    // 0a 01 'x' | 12 01 'y' | 22 04 'Relu'
    expect(hex(toBinary(NodeProtoSchema, makeNode("Relu", ["x"], ["y"])))).toBe(
      "0a 01 78 12 01 79 22 04 52 65 6c 75",
    );
    // + 1a 01 'n' (name) and 3a 01 'd' (domain)
    expect(hex(toBinary(NodeProtoSchema, makeNode("Relu", ["x"], ["y"], { name: "n", domain: "d" })))).toBe(
      "0a 01 78 12 01 79 1a 01 6e 22 04 52 65 6c 75 3a 01 64",
    );
  });
  it("keeps an empty input (an omitted optional input) in its place, and copies the name lists", () => {
    const inputs = ["x", "", "axes"];
    const n = makeNode("ReduceMean", inputs, ["y"]);
    inputs.push("z");
    expect(n.input).toEqual(["x", "", "axes"]);
    expect([n.name, n.domain]).toEqual(["", ""]);
  });
  it("types attributes from their values, as make_node does: int, float, string, lists, graph", () => {
    const n = makeNode("Op", [], ["o"], {
      attributes: { i: 2, f: 0.5, s: "same", ints: [1, 2], floats: [0.25, 1.5], g: makeGraph({ name: "b" }) },
    });
    expect(n.attribute.map((a) => [a.name, a.type])).toEqual([
      ["i", AttributeType.INT],
      ["f", AttributeType.FLOAT],
      ["s", AttributeType.STRING],
      ["ints", AttributeType.INTS],
      ["floats", AttributeType.FLOATS],
      ["g", AttributeType.GRAPH],
    ]);
    expect(getAttribute(n, "i")).toBe(2n);
    expect(getAttribute(n, "floats")).toEqual([0.25, 1.5]);
  });
  it("attributes: make, get, set", () => {
    expect(() => makeNode("X", [], [], { attrs: {} } as never)).toThrow(/makeNode: unknown option "attrs"/);
  });
});
