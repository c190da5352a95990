// Silero VAD v5 quantized runs in onnxruntime-web (its WASM backend, one thread, here in Node) without an
// unsupported-operator error and computes what onnxruntime-node computes (q8's uint8-weight
// ConvInteger, int8's QDQ).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSpeech } from "../bench/_speech";
import { type EngineFeeds, quantizeDynamic, quantizeStatic, readModel, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";
import { maxDiff, node } from "./_webEngines";

describe("Silero VAD v5 quantized in onnxruntime-web (WASM)", () => {
  it("Silero VAD v5, q8 and int8: same speech probabilities as onnxruntime-node within 1e-3", async () => {
    const { audio } = readSpeech(join(FIXTURES, "speech"));
    const feeds: EngineFeeds[] = Array.from({ length: 4 }, (_, k) => ({
      input: { type: "float32", data: audio.slice(k * 204800, k * 204800 + 512), dims: [1, 512] },
      state: { type: "float32", data: new Float32Array(256), dims: [2, 1, 128] },
      sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] },
    }));
    const model = readModel(readFileSync(MODELS.sileroV5));
    expect(await maxDiff(writeModel(quantizeDynamic(model).model), feeds)).toBeLessThan(1e-3);
    const int8 = await quantizeStatic(model, { engine: node, samples: feeds, evaluate: false });
    expect(await maxDiff(writeModel(int8.model), feeds)).toBeLessThan(1e-3);
  });
});
