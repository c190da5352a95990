import { create, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { _encodeMessage } from "../src/_encodeMessage";
import {
  AttributeProtoSchema,
  DataType,
  ModelProtoSchema,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  NodeProtoSchema,
  readModel,
  TensorProtoSchema,
  TypeProtoSchema,
  writeModel,
} from "../src/index";
import { MODELS, type ModelName, modelBytes } from "./_fixtures";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const both = <T extends Message>(schema: GenMessage<T>, m: T) =>
  [_encodeMessage(schema, m), toBinary(schema, m)] as const;

describe("writeModel's exact-size writer gives toBinary's bytes", () => {
  it.each(Object.keys(MODELS) as ModelName[])("%s", (name) => {
    const model = readModel(modelBytes(name));
    const [ours, theirs] = both(ModelProtoSchema, model);
    expect(same(ours, theirs)).toBe(true);
    expect(ours.buffer.byteLength).toBe(ours.length);
  });

  it("edge cases: negative int32 / int64, uint64 max, NaN and -0, unicode, empty-but-set fields, oneofs, unknown fields", () => {
    const t = create(TensorProtoSchema, {
      name: "𝄞 é ☃ \ud800 lone",
      dims: [-1n, 0n, 2n ** 53n + 1n, -(2n ** 63n)],
      dataType: DataType.INT32,
      int32Data: [-1, 0, 2147483647, -2147483648],
      int64Data: [-5n, 2n ** 62n],
      uint64Data: [2n ** 64n - 1n, 0n],
      floatData: [Number.NaN, -0, 3.4e38, 1e-45],
      doubleData: [-0, Number.POSITIVE_INFINITY],
      docString: "",
      rawData: new Uint8Array(0),
    });
    const withUnknown = fromBinary(
      TensorProtoSchema,
      new Uint8Array([...toBinary(TensorProtoSchema, t), 0xf8, 0x07, 0x2a, 0xfa, 0x07, 0x01, 0x09]),
    );
    const attribute = create(AttributeProtoSchema, {
      name: "a",
      type: 1,
      f: -0,
      t: withUnknown,
      ints: [-1n],
    });
    const node = create(NodeProtoSchema, { opType: "X", attribute: [attribute], input: ["", "x"] });
    const types = [
      create(TypeProtoSchema, {
        value: {
          case: "tensorType",
          value: {
            elemType: 1,
            shape: {
              dim: [
                { value: { case: "dimValue", value: 0n } },
                { value: { case: "dimParam", value: "" } },
                {},
              ],
            },
          },
        },
      }),
      create(TypeProtoSchema, {
        value: { case: "sequenceType", value: { elemType: { value: { case: "tensorType", value: {} } } } },
      }),
      create(TypeProtoSchema, { denotation: "" }),
    ];
    for (const [ours, theirs] of [
      both(TensorProtoSchema, withUnknown),
      both(NodeProtoSchema, node),
      ...types.map((x) => both(TypeProtoSchema, x)),
    ]) {
      expect(Array.from(ours)).toEqual(Array.from(theirs));
    }
    const model = makeModel(
      makeGraph({
        name: "g",
        node: [node, makeNode("Relu", ["x"], ["y"])],
        input: [makeValueInfo("x", DataType.FLOAT, ["n", null, 3])],
        initializer: [makeTensor("w", DataType.FLOAT16, [2], [1, 2])],
      }),
    );
    const [ours, theirs] = both(ModelProtoSchema, model);
    expect(Array.from(ours)).toEqual(Array.from(theirs));
  });

  it("random tensors encode like toBinary (property)", () => {
    const tensor = fc.record(
      {
        name: fc.string({ unit: "binary", maxLength: 12 }),
        dims: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 4 }),
        dataType: fc.integer({ min: -3, max: 30 }),
        int32Data: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 6 }),
        int64Data: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 6 }),
        uint64Data: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 4 }),
        floatData: fc.array(fc.float(), { maxLength: 6 }),
        doubleData: fc.array(fc.double(), { maxLength: 4 }),
        rawData: fc.uint8Array({ maxLength: 300 }),
        docString: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(tensor, (fields) => {
        const [ours, theirs] = both(TensorProtoSchema, create(TensorProtoSchema, fields));
        expect(Array.from(ours)).toEqual(Array.from(theirs));
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it("writes the recogniser as one buffer of exactly its size", () => {
    const bytes = modelBytes("ocrRec");
    const out = writeModel(readModel(bytes));
    expect([out.byteOffset, out.buffer.byteLength]).toEqual([0, bytes.length]);
  });
});
