import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createMlp,
  parseSafetensors,
  type SafetensorsInput,
  serializeSafetensors,
  stateDict,
} from "@quantkit/nn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  calibrate,
  convert,
  createQConfig,
  defaultPerChannelQConfig,
  defaultQConfig,
  loadQuantizedModel,
  parseQuantizedModel,
  prepare,
  type QConfig,
  type QuantizedModel,
  saveQuantizedModel,
  serializeQuantizedModel,
} from "../src/index";
import { batchesOf, convNet, randomInput } from "./_fixtures";

async function quantized(
  model: ReturnType<typeof createMlp> | ReturnType<typeof convNet>,
  qconfig: QConfig,
  perSample: number[],
): Promise<QuantizedModel> {
  const p = prepare(model, qconfig);
  const features = perSample.reduce((a, b) => a * b, 1);
  await calibrate(p, batchesOf(randomInput(64 * features, 7, -0.5, 2.5), new Uint8Array(64), perSample, 16));
  return convert(p);
}

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

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-ptq-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MLP_CASES: Array<[string, QConfig, string]> = [
  ["int8 per tensor", defaultQConfig, "I8"],
  ["int8 per channel", defaultPerChannelQConfig, "I8"],
  ["w5a5", createQConfig({ bits: 5 }), "I8"],
  ["w4a4 (packed two per byte)", createQConfig({ bits: 4 }), "U8"],
  [
    "w3a8 per channel (packed as int4)",
    createQConfig({ weightBits: 3, activationBits: 8, perChannel: true }),
    "U8",
  ],
  ["w2a2 (packed four per byte)", createQConfig({ bits: 2 }), "U8"],
];

describe("the integer model on disk", () => {
  it.each(MLP_CASES)(
    "%s: save and load give the same model and the same codes",
    async (_name, qconfig, weightDtype) => {
      const q = await quantized(createMlp([20, 12, 6], { seed: 2 }), qconfig, [20]);
      const bytes = serializeQuantizedModel(q);
      const file = parseSafetensors(bytes);
      const w = file.tensors["fc1.weight"] ?? file.tensors["fc1.weight_packed"]!;
      expect(w.dtype).toBe(weightDtype);
      const bits = q.linearLayers[0]!.weight.bits;
      if (bits <= 4) expect(w.shape).toEqual([Math.ceil(240 / (bits <= 2 ? 4 : 2))]);
      expect(file.tensors["fc1.bias"]!.dtype).toBe("I32");
      expect(file.metadata.format).toBe("quantkit.quantized-model");
      const back = parseQuantizedModel(bytes);
      expect(back.inputShape).toEqual(q.inputShape);
      expect(back.input).toEqual(q.input);
      for (const [i, l] of back.layers.entries()) {
        const o = q.layers[i]!;
        expect(l.kind).toBe(o.kind);
        expect(back.activations[i]).toEqual(q.activations[i]);
        if (l.kind === "linear" && o.kind === "linear") {
          expect(Array.from(l.kernel.weight)).toEqual(Array.from(o.kernel.weight));
          expect(Array.from(l.kernel.bias)).toEqual(Array.from(o.kernel.bias));
          expect(Array.from(l.kernel.multiplier)).toEqual(Array.from(o.kernel.multiplier));
          expect([l.kernel.outputMin, l.kernel.outputMax]).toEqual([o.kernel.outputMin, o.kernel.outputMax]);
          expect(l.weight).toEqual(o.weight);
          expect(l.observedRange).toEqual(o.observedRange);
        }
      }
      const x = randomInput(30 * 20, 11, -1, 3);
      expect(Array.from(back.forward(x, 30).data)).toEqual(Array.from(q.forward(x, 30).data));
      // serialising the loaded model gives the same bytes
      expect(Array.from(serializeQuantizedModel(back))).toEqual(Array.from(bytes));
    },
  );

  it("a conv net round-trips (conv geometry, max pooling, flatten)", async () => {
    const q = await quantized(convNet(3), createQConfig({ bits: 4, perChannel: true }), [1, 12, 12]);
    const back = parseQuantizedModel(serializeQuantizedModel(q));
    expect(back.layers.map((l) => l.kind)).toEqual(q.layers.map((l) => l.kind));
    const x = randomInput(4 * 144, 12);
    expect(Array.from(back.predict(x, 4))).toEqual(Array.from(q.predict(x, 4)));
    expect(Array.from(back.forward(x, 4).data)).toEqual(Array.from(q.forward(x, 4).data));
  });

  it("saveQuantizedModel writes the file atomically and returns its size; loadQuantizedModel reads it back", async () => {
    const q = await quantized(createMlp([20, 12, 6], { seed: 2 }), defaultQConfig, [20]);
    const path = join(dir, "mlp-int8.safetensors");
    const size = await saveQuantizedModel(path, q);
    expect((await stat(path)).size).toBe(size);
    expect(new Uint8Array(await readFile(path))).toEqual(serializeQuantizedModel(q));
    const back = await loadQuantizedModel(path);
    const x = randomInput(5 * 20, 1);
    expect(Array.from(back.predict(x, 5))).toEqual(Array.from(q.predict(x, 5)));
    await expect(loadQuantizedModel(join(dir, "missing.safetensors"))).rejects.toThrow(/ENOENT/);
  });

  it("the seed's MLP: about 359 KB as float32, at most 100 KB as int8, at most 60 KB with 4-bit weights", async () => {
    const mlp = createMlp([784, 100, 100, 10], { seed: 0 });
    const fp32 = serializeSafetensors(stateDict(mlp)).length;
    const int8 = serializeQuantizedModel(await quantized(mlp, defaultQConfig, [784])).length;
    const int4 = serializeQuantizedModel(await quantized(mlp, createQConfig({ bits: 4 }), [784])).length;
    // 89,610 weights + 210 biases: 358,440 bytes of float32 data; 89,610 + 840 + the parameters as int8
    expect(fp32).toBeGreaterThan(358_440);
    expect(fp32).toBeLessThan(360_000);
    expect(int8).toBeGreaterThan(89_610 + 840);
    expect(int8).toBeLessThanOrEqual(100_000);
    expect(int4).toBeGreaterThan(89_610 / 2 + 840);
    expect(int4).toBeLessThanOrEqual(60_000);
  });

  describe("a corrupt or foreign file is a clear error", () => {
    let bytes: Uint8Array;
    let bytes3: Uint8Array;
    beforeAll(async () => {
      bytes = serializeQuantizedModel(
        await quantized(createMlp([20, 12, 6], { seed: 2 }), defaultQConfig, [20]),
      );
      bytes3 = serializeQuantizedModel(
        await quantized(createMlp([20, 12, 6], { seed: 2 }), createQConfig({ bits: 3 }), [20]),
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
