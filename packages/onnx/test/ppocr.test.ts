// The PP-OCR direction classifier quantized, on the text-line fixture (300 lines rendered with DejaVu
// fonts, 60 of them upside down): top-1 equal to the float model's on >= 99% of the 236 lines that are
// not calibration lines. (The recogniser is measured in bench/quantize.bench.ts: too slow for the suite.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { clsInput, clsTop1, readTextLines } from "../bench/_ocr";
import {
  type EngineFeeds,
  ortEngine,
  quantizeDynamic,
  quantizeStatic,
  readModel,
  upgradeOpset,
  writeModel,
} from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

describe("PP-OCR direction classifier on the text-line fixture", async () => {
  const lines = readTextLines(join(FIXTURES, "text-lines"));
  const feeds: EngineFeeds[] = Array.from({ length: lines.count }, (_, i) => ({
    x: { type: "float32", ...clsInput(lines, i) },
  }));
  const calibration = feeds.slice(0, 64);
  const evaluation = feeds.slice(64);
  const model = upgradeOpset(readModel(readFileSync(MODELS.ocrCls)), 13);
  const top1 = async (bytes: Uint8Array) => {
    const s = await engine.createSession(bytes);
    const out: number[] = [];
    for (const f of evaluation) {
      const t = Object.values(await s.run(f))[0]!;
      out.push(clsTop1(t.data as Float32Array, t.dims));
    }
    return out;
  };
  const float = await top1(writeModel(model));

  it("the fixture has >= 200 evaluation lines, both directions", () => {
    expect(evaluation.length).toBeGreaterThanOrEqual(200);
    expect(new Set(float).size).toBe(2);
  });

  it("q8: top-1 equal on >= 99%", async () => {
    const q = await top1(writeModel(quantizeDynamic(model).model));
    expect(q.filter((c, i) => c === float[i]).length / float.length).toBeGreaterThanOrEqual(0.99);
  });

  it("int8 (64 calibration lines): top-1 equal on >= 99%; all Convs quantized, BatchNormalization folded", async () => {
    const { model: q, report } = await quantizeStatic(model, {
      engine,
      samples: calibration,
      evaluate: false,
    });
    expect(report.nodes.filter((n) => n.opType === "Conv").every((n) => n.quantized)).toBe(true);
    expect(
      report.nodes
        .filter((n) => n.opType === "BatchNormalization")
        .every((n) => n.detail.startsWith("folded into Conv")),
    ).toBe(true);
    const i8 = await top1(writeModel(q));
    expect(i8.filter((c, i) => c === float[i]).length / float.length).toBeGreaterThanOrEqual(0.99);
  });
});
