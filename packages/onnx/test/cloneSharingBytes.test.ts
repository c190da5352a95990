import { readFileSync } from "node:fs";
import { clone } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ModelProtoSchema } from "../src/_gen/onnx_pb";
import { _cloneSharingBytes } from "../src/_quantGraph";
import { makeGraph, makeModel } from "../src/makeModel";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

describe("_cloneSharingBytes", () => {
  it("writes the same bytes as the original (Silero VAD v5: Constant tensors with and without raw_data, If branches) and shares raw_data", () => {
    const bytes = new Uint8Array(readFileSync(MODELS.sileroV5));
    const model = readModel(bytes);
    const copy = _cloneSharingBytes(model);
    expect(same(writeModel(copy), bytes)).toBe(true);
    expect(same(writeModel(model), bytes)).toBe(true);
    // === and toBe(true): toBe on these objects would compare them deeply for its failure message (seconds)
    expect(copy.graph === model.graph).toBe(false);
    const first = (m: typeof model) =>
      m
        .graph!.node.find((n) => n.opType === "If")!
        .attribute[0]!.g!.node.find((n) => n.attribute[0]?.t?.rawData.length)!.attribute[0]!.t!;
    expect(first(copy).rawData === first(model).rawData).toBe(true); // the same bytes, not a copy
    expect(first(copy) === first(model)).toBe(false);
  });

  it("is a deep copy with proto2 presence and unknown fields kept: it writes what @bufbuild/protobuf's clone writes, and editing it leaves the original alone", () => {
    const built = writeModel(makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } }));
    // field 99 (varint 7) appended to the ModelProto: an unknown field
    const model = readModel(new Uint8Array([...built, 0x98, 0x06, 0x07]));
    const copy = _cloneSharingBytes(model);
    expect(same(writeModel(copy), writeModel(clone(ModelProtoSchema, model)))).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(model));
    expect(Object.hasOwn(copy, "producerName")).toBe(Object.hasOwn(model, "producerName"));
    const before = writeModel(model);
    copy.graph!.name = "changed";
    copy.opsetImport[0]!.version = 13n;
    expect(same(writeModel(model), before)).toBe(true);

    const rec = readModel(readFileSync(MODELS.ocrRec));
    const recBytes = writeModel(rec);
    const recCopy = _cloneSharingBytes(rec);
    expect(same(writeModel(recCopy), writeModel(clone(ModelProtoSchema, rec)))).toBe(true);
    recCopy.graph!.node[0]!.input[0] = "renamed";
    recCopy.graph!.node.find((n) => n.opType === "Constant")!.attribute[0]!.t!.dims[0] = 99n;
    expect(same(writeModel(rec), recBytes)).toBe(true);
  });
});
