// Issue 15, item 1 and the model part of the standing adversarial suite: a saved integer model carries a
// CRC-32 of the whole file, so a corruption that the structural checks let through (a flipped weight code,
// a bias of INT32_MAX, a zero point + 1, quantMin 0 -> 1 in the JSON) is an error, never a model that
// predicts differently. The suite prints its counts (quoted in the README's reliability section).
import { parseSafetensors, type SafetensorsInput, serializeSafetensors } from "@quantkit/nn";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQuantizedModel, type QuantizedModel, serializeQuantizedModel } from "../src/index";
import { randomInput, smallQuantizedMlp } from "./_fixtures";

/** Loads corrupted bytes: "rejected" (an error), "same" (loads and predicts as the original) or "wrong". */
function outcome(
  bytes: Uint8Array,
  x: Float32Array,
  want: Uint8Array | Float32Array,
): "rejected" | "same" | "wrong" {
  let m: QuantizedModel;
  try {
    m = parseQuantizedModel(bytes, "c");
  } catch {
    return "rejected";
  }
  const got = m.forward(x, 4).data;
  return got.length === want.length && got.every((v, i) => v === want[i]) ? "same" : "wrong";
}

/** Re-serializes with edited tensors or metadata, keeping the old checksum value (a careless edit). */
function editKeepingChecksum(
  bytes: Uint8Array,
  edit: (t: Record<string, SafetensorsInput>, md: Record<string, string>) => void,
): Uint8Array {
  const file = parseSafetensors(bytes);
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [k, t] of Object.entries(file.tensors))
    tensors[k] = { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() as SafetensorsInput["data"] };
  const metadata = { ...file.metadata };
  edit(tensors, metadata);
  return serializeSafetensors(tensors, metadata);
}

describe("saved integer models reject every corruption (item 1)", () => {
  let model: QuantizedModel;
  let bytes: Uint8Array;
  const x = randomInput(4 * 20, 11, -0.5, 2.5);
  let want: Float32Array;
  const counts = { tried: 0, rejected: 0, same: 0, wrong: 0 };
  const count = (o: "rejected" | "same" | "wrong") => {
    counts.tried++;
    counts[o]++;
  };
  beforeAll(async () => {
    model = await smallQuantizedMlp();
    bytes = serializeQuantizedModel(model);
    want = model.forward(x, 4).data;
  });
  afterAll(() => {
    console.log(
      `adversarial suite, saved models: ${counts.tried} corruptions tried, ${counts.rejected} rejected, ${counts.wrong} silently accepted with different predictions, ${counts.same} accepted unchanged`,
    );
  });

  it("the file carries format_version 2 and a checksum, and loads back exactly", () => {
    const md = parseSafetensors(bytes).metadata;
    expect(md.format_version).toBe("2");
    expect(md.quantkit_crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(outcome(bytes, x, want)).toBe("same");
  });

  it("a byte flip at every offset, three patterns each, is rejected", () => {
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x10, 0xff]) {
        const c = bytes.slice();
        c[i] = c[i]! ^ flip;
        count(outcome(c, x, want));
      }
    }
    expect(counts.wrong + counts.same).toBe(0);
  });

  it("truncations at every length are rejected", () => {
    for (let n = 0; n < bytes.length; n += 7) count(outcome(bytes.subarray(0, n), x, want));
    expect(counts.wrong + counts.same).toBe(0);
  });

  it("the issue's edits (a weight code, bias INT32_MAX, zero point + 1, quantMin 0 -> 1) are rejected", () => {
    const edits: Array<(t: Record<string, SafetensorsInput>, md: Record<string, string>) => void> = [
      (t) => void ((t["fc2.weight"]!.data as Int8Array)[3]! ^= 0x40),
      (t) => void ((t["fc1.bias"]!.data as Int32Array)[0] = 2 ** 31 - 1),
      (t) => void ((t["fc1.zero_point"]!.data as Int32Array)[0]! += 1),
      (_t, md) => void (md.model = md.model!.replace('"quantMin":0', '"quantMin":1')),
      (_t, md) => void (md.format_version = "1"),
      (_t, md) => void delete md.quantkit_crc32,
    ];
    for (const e of edits) {
      const o = outcome(editKeepingChecksum(bytes, e), x, want);
      count(o);
      expect(o).toBe("rejected");
    }
  });

  it("fast-check: random multi-byte corruptions are rejected", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        (changes) => {
          const c = bytes.slice();
          for (const [at, flip] of changes) c[at % c.length]! ^= flip;
          const o = outcome(c, x, want);
          count(o);
          return o === "rejected";
        },
      ),
      { seed: 15, numRuns: 300 },
    );
  });

  it("a version 1 file (no checksum) still loads; options.metadata ties a file to its run", () => {
    const v1 = editKeepingChecksum(bytes, (_t, md) => {
      delete md.quantkit_crc32;
      md.format_version = "1";
    });
    expect(outcome(v1, x, want)).toBe("same");
    const tagged = serializeQuantizedModel(model, { metadata: { run_id: "abc" } });
    expect(parseSafetensors(tagged).metadata.run_id).toBe("abc");
    expect(() => serializeQuantizedModel(model, { metadata: { format: "x" } })).toThrow(
      /may not set "format"/,
    );
    expect(() => serializeQuantizedModel(model, { meta: {} } as never)).toThrow(/unknown key "meta"/);
  });
});
