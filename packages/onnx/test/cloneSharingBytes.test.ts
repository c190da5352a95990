import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { _cloneSharingBytes } from "../src/_quantGraph";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";

describe("_cloneSharingBytes", () => {
  it("writes the same bytes as the original (Silero VAD v5: Constant tensors with and without raw_data, If branches) and shares raw_data", () => {
    const bytes = new Uint8Array(readFileSync(MODELS.sileroV5));
    const model = readModel(bytes);
    const copy = _cloneSharingBytes(model);
    const same = (a: Uint8Array) => Buffer.compare(a, bytes) === 0;
    expect(same(writeModel(copy))).toBe(true);
    expect(same(writeModel(model))).toBe(true); // the original is restored
    expect(copy.graph).not.toBe(model.graph);
    const first = (m: typeof model) =>
      m
        .graph!.node.find((n) => n.opType === "If")!
        .attribute[0]!.g!.node.find((n) => n.attribute[0]?.t?.rawData.length)!.attribute[0]!.t!;
    expect(first(copy).rawData).toBe(first(model).rawData); // the same bytes, not a copy
    expect(first(copy)).not.toBe(first(model));
  });
});
