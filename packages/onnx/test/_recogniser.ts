// The PP-OCRv4 recogniser on the text-line fixture, read as PP-OCR's pipeline reads a line (upright, at
// its own width): the float model, the 64 calibration lines, and the agreement of a quantized file's
// decoded text (leading and trailing spaces dropped) with the float model's on the other 236 lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { ctcDecode, readTextLines, recDictionary, recLine, recText } from "../bench/_ocr";
import { type EngineFeeds, ortEngine, readModel, upgradeOpset, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";

export const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

/** The model, its calibration feeds, the texts of a file, the float model's texts and the agreement with them. */
export async function recogniser() {
  const lines = readTextLines(join(FIXTURES, "text-lines"));
  const feeds: EngineFeeds[] = Array.from({ length: lines.count }, (_, i) => ({
    x: { type: "float32", ...recLine(lines, i) },
  }));
  const calibration = feeds.slice(0, 64);
  const evaluation = feeds.slice(64);
  const dictionary = recDictionary(join(MODELS.ocrRec, "..", "ppocr_keys_v1.txt"));
  const model = upgradeOpset(readModel(readFileSync(MODELS.ocrRec)), 13);
  const texts = async (bytes: Uint8Array) => {
    const s = await engine.createSession(bytes);
    const out: string[] = [];
    for (const f of evaluation) {
      const t = Object.values(await s.run(f))[0]!;
      out.push(recText(ctcDecode(t.data as Float32Array, t.dims), dictionary));
    }
    await s.release?.();
    return out;
  };
  const float = await texts(writeModel(model));
  const agreement = (q: string[]) => q.filter((t, i) => t === float[i]).length / float.length;
  return { lines, model, calibration, evaluation, texts, float, agreement };
}
