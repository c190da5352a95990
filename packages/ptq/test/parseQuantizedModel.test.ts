// Issue 15, item 1 and the model part of the standing adversarial suite: a saved integer model carries a
// CRC-32 of the whole file, so a corruption that the structural checks let through (a flipped weight code,
// a bias of INT32_MAX, a zero point + 1, quantMin 0 -> 1 in the JSON) is an error, never a model that
// predicts differently. The suite prints its counts (quoted in the README's reliability section).

import {
  createMlp,
  parseSafetensors,
  type SafetensorsInput,
  serializeSafetensors,
  stateDict,
} from "@quantkit/nn";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createQConfig,
  defaultQConfig,
  parseQuantizedModel,
  type QuantizedModel,
  serializeQuantizedModel,
} from "../src/index";
import { quantizedModel, randomInput, smallQuantizedMlp } from "./_fixtures";

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

/** Re-writes a model file with changed tensors or metadata. */
function tamper(
  bytes: Uint8Array,
  edit: (tensors: Record<string, SafetensorsInput>, metadata: Record<string, string>) => void,
): Uint8Array {
  const file = parseSafetensors(bytes);
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [k, t] of Object.entries(file.tensors))
    tensors[k] = { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() as SafetensorsInput["data"] };
  const metadata = { ...file.metadata };
  delete metadata.quantkit_crc32; // restamped below: these cases test the checks behind the checksum
  edit(tensors, metadata);
  return serializeSafetensors(tensors, metadata, { checksum: true });
}

function editModelJson(bytes: Uint8Array, edit: (model: Record<string, unknown>) => void): Uint8Array {
  return tamper(bytes, (_t, md) => {
    const m = JSON.parse(md.model!);
    edit(m);
    md.model = JSON.stringify(m);
  });
}

describe("the integer model on disk", () => {
  describe("a corrupt or foreign file is a clear error", () => {
    let bytes: Uint8Array;
    let bytes3: Uint8Array;
    beforeAll(async () => {
      bytes = serializeQuantizedModel(
        await quantizedModel(createMlp([20, 12, 6], { seed: 2 }), defaultQConfig, [20]),
      );
      bytes3 = serializeQuantizedModel(
        await quantizedModel(createMlp([20, 12, 6], { seed: 2 }), createQConfig({ bits: 3 }), [20]),
      );
    });

    it.each([
      ["truncated", () => bytes.subarray(0, bytes.length - 3), /truncated|cover|past/],
      ["empty", () => new Uint8Array(0), /truncated/],
      [
        "a float checkpoint",
        () => serializeSafetensors(stateDict(createMlp([4, 2])), { format: "pt" }),
        /is not a quantkit integer model: metadata "format" is "pt"/,
      ],
      [
        "another format version",
        () => tamper(bytes, (_t, md) => void (md.format_version = "9")),
        /format_version "9" is not supported/,
      ],
      [
        "bad model JSON",
        () => tamper(bytes, (_t, md) => void (md.model = "{")),
        /metadata "model" is not valid JSON/,
      ],
      [
        "a missing tensor",
        () => tamper(bytes, (t) => void delete t["fc2.bias"]),
        /tensor "fc2.bias" is missing/,
      ],
      [
        "an extra tensor",
        () => tamper(bytes, (t) => void (t.extra = { dtype: "F32", shape: [1], data: new Float32Array(1) })),
        /unexpected tensor "extra"/,
      ],
      [
        "a wrong dtype",
        () =>
          tamper(
            bytes,
            (t) => void (t["fc1.bias"] = { dtype: "F32", shape: [12], data: new Float32Array(12) }),
          ),
        /tensor "fc1.bias" must be I32, got F32/,
      ],
      [
        "a wrong shape",
        () =>
          tamper(
            bytes,
            (t) => void (t["fc1.weight"] = { dtype: "I8", shape: [20, 12], data: new Int8Array(240) }),
          ),
        /tensor "fc1.weight" must have shape \[12, 20\], got \[20, 12\]/,
      ],
      [
        "a tampered multiplier",
        () => tamper(bytes, (t) => void ((t["fc2.multiplier"]!.data as Int32Array)[0]! += 1)),
        /layer "fc2": the stored multiplier\/shift disagree/,
      ],
      [
        "a negative scale",
        () => tamper(bytes, (t) => void ((t["fc1.weight_scale"]!.data as Float32Array)[0] = -1)),
        /weight_scale\[0\] must be a positive finite scale, got -1/,
      ],
      [
        "a zero point out of range",
        () => tamper(bytes, (t) => void ((t["fc1.zero_point"]!.data as Int32Array)[0] = 200)),
        /zeroPoint 200 must lie in \[0, 127\]/,
      ],
      [
        "a weight code outside its range",
        () =>
          tamper(bytes3, (t) => {
            const packed = t["fc1.weight_packed"]!.data as Uint8Array;
            packed[0] = (packed[0]! & 0xf0) | 0x07; // 7 is no 3-bit code (-4..3)
          }),
        /weight code 7 at index 0 lies outside \[-4, 3\]/,
      ],
      [
        "a wrong packing",
        () =>
          editModelJson(
            bytes,
            (m) => void ((m.layers as Array<Record<string, unknown>>)[0]!.packing = "int4"),
          ),
        /packing must be "int8"/,
      ],
      [
        "an unknown layer kind",
        () =>
          editModelJson(bytes, (m) => void ((m.layers as Array<Record<string, unknown>>)[1]!.kind = "gelu")),
        /kind must be linear, conv2d/,
      ],
      [
        "a wrong input shape",
        () => editModelJson(bytes, (m) => void (m.inputShape = [21])),
        /must end in inFeatures = 20/,
      ],
      [
        "bits that disagree with the range",
        () =>
          editModelJson(bytes, (m) => void ((m.layers as Array<Record<string, unknown>>)[0]!.weightBits = 7)),
        /weightBits 7 does not match the code range \[-128, 127\]/,
      ],
    ] as Array<[string, () => Uint8Array, RegExp]>)("%s", (_name, make, message) => {
      expect(() => parseQuantizedModel(make(), "model.safetensors")).toThrow(message);
      expect(() => parseQuantizedModel(make(), "model.safetensors")).toThrow(RangeError);
    });

    it("names the file", () => {
      expect(() => parseQuantizedModel(new Uint8Array(4), "my.safetensors")).toThrow(/^my.safetensors/);
    });
  });
});
