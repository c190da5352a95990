// The PP-OCR direction classifier quantized runs in onnxruntime-web (its WASM backend, one thread, here
// in Node) without an unsupported-operator error and computes what onnxruntime-node computes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clsInput, readTextLines } from "../bench/_ocr";
import {
  type EngineFeeds,
  quantizeDynamic,
  quantizeStatic,
  readModel,
  upgradeOpset,
  writeModel,
} from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";
import { maxDiff, node } from "./_webEngines";

describe("PP-OCR classifier quantized in onnxruntime-web (WASM)", () => {
  it("PP-OCR classifier, q8 and int8: same probabilities as onnxruntime-node within 1e-3", async () => {
    const lines = readTextLines(join(FIXTURES, "text-lines"));
    const feeds: EngineFeeds[] = Array.from({ length: 4 }, (_, i) => ({
      x: { type: "float32", ...clsInput(lines, i * 60) },
    }));
    const model = upgradeOpset(readModel(readFileSync(MODELS.ocrCls)), 13);
    expect(await maxDiff(writeModel(quantizeDynamic(model).model), feeds)).toBeLessThan(1e-3);
    const int8 = await quantizeStatic(model, { engine: node, samples: feeds, evaluate: false });
    expect(await maxDiff(writeModel(int8.model), feeds)).toBeLessThan(1e-3);
  });

  it('PP-OCR classifier with depthwise: "float" and "weights" (q8 and int8): same probabilities as onnxruntime-node within 1e-3', async () => {
    const lines = readTextLines(join(FIXTURES, "text-lines"));
    const feeds: EngineFeeds[] = Array.from({ length: 4 }, (_, i) => ({
      x: { type: "float32", ...clsInput(lines, i * 60) },
    }));
    const model = upgradeOpset(readModel(readFileSync(MODELS.ocrCls)), 13);
    for (const depthwise of ["float", "weights"] as const) {
      expect(await maxDiff(writeModel(quantizeDynamic(model, { depthwise }).model), feeds)).toBeLessThan(
        1e-3,
      );
      const int8 = await quantizeStatic(model, { engine: node, samples: feeds, evaluate: false, depthwise });
      expect(await maxDiff(writeModel(int8.model), feeds)).toBeLessThan(1e-3);
    }
  });
});
