// fp16 on the repository's real-input fixtures (fixtures/: 300 text lines rendered with DejaVu fonts,
// 117 s of eSpeak NG speech with silence and noise), against the float models in onnxruntime-node.
// The recogniser's 300 lines take about 45 s here: bench/float16.bench.ts measures them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { clsInput, clsTop1, readTextLines } from "../bench/_ocr";
import { convertFloatToFloat16, ortEngine, readModel, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const fp16 = (name: "ocrCls") =>
  writeModel(convertFloatToFloat16(readModel(readFileSync(MODELS[name]), { name })).model);

describe("fp16 on the fixtures", () => {
  it("PP-OCR direction classifier: top-1 equal to float on >= 99% of the 300 text lines (measured 300/300)", async () => {
    const lines = readTextLines(join(FIXTURES, "text-lines"));
    const float = await engine.createSession(readFileSync(MODELS.ocrCls));
    const half = await engine.createSession(fp16("ocrCls"));
    let same = 0;
    const classes = new Set<number>();
    for (let i = 0; i < lines.count; i++) {
      const feeds = { x: { type: "float32" as const, ...clsInput(lines, i) } };
      const [ta, tb] = [Object.values(await float.run(feeds))[0]!, Object.values(await half.run(feeds))[0]!];
      const a = clsTop1(ta.data as Float32Array, ta.dims);
      const b = clsTop1(tb.data as Float32Array, tb.dims);
      classes.add(a);
      if (a === b) same++;
    }
    expect(lines.count).toBe(300);
    expect(classes.size).toBe(2);
    expect(same / lines.count).toBeGreaterThanOrEqual(0.99);
  });
});
