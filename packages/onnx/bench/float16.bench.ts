// fp16 of the PP-OCRv4 recogniser and classifier on the 300 text lines of fixtures/text-lines, and of
// Silero VAD v5 on fixtures/speech, against the float models in onnxruntime-node (one thread): sizes,
// conversion time, agreement, run time per input. Run: pnpm --filter @quantkit/onnx bench:fp16
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { convertFloatToFloat16, ortEngine, readModel, writeModel } from "../src/index";
import { MODELS } from "../test/_fixtures";
import { FIXTURES } from "../test/_realFixtures";
import { clsInput, clsTop1, ctcDecode, readTextLines, recDictionary, recLine, recText } from "./_ocr";
import { compareVad, readSpeech, vadProbabilities } from "./_speech";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const lines = readTextLines(join(FIXTURES, "text-lines"));

function convert(name: "ocrRec" | "ocrCls" | "sileroV5") {
  const bytes = new Uint8Array(readFileSync(MODELS[name]));
  const t = performance.now();
  const half = writeModel(convertFloatToFloat16(readModel(bytes)).model);
  const ms = performance.now() - t;
  console.log(
    `${name}: ${bytes.length} -> ${half.length} bytes (${(half.length / bytes.length).toFixed(3)}), convert + write ${ms.toFixed(0)} ms`,
  );
  return { bytes, half };
}

{
  const { bytes, half } = convert("ocrRec");
  const [a, b] = [await engine.createSession(bytes), await engine.createSession(half)];
  const dictionary = recDictionary(join(MODELS.ocrRec, "..", "ppocr_keys_v1.txt"));
  let same = 0;
  let sameText = 0;
  let [ta, tb] = [0, 0];
  const differ: string[] = [];
  for (let i = 0; i < lines.count; i++) {
    const feeds = { x: { type: "float32" as const, ...recLine(lines, i) } };
    let t = performance.now();
    const ra = Object.values(await a.run(feeds))[0]!;
    ta += performance.now() - t;
    t = performance.now();
    const rb = Object.values(await b.run(feeds))[0]!;
    tb += performance.now() - t;
    const [sa, sb] = [
      ctcDecode(ra.data as Float32Array, ra.dims),
      ctcDecode(rb.data as Float32Array, rb.dims),
    ];
    if (recText(sa, dictionary) === recText(sb, dictionary)) sameText++;
    if (sa === sb) same++;
    else differ.push(`${i} ${JSON.stringify(lines.texts[i])}: [${sa}] vs [${sb}]`);
  }
  console.log(
    `  lines upright at their own width: text equal on ${sameText}/${lines.count}, CTC strings (spaces at the ends included) on ${same}; ms per line float ${(ta / lines.count).toFixed(1)}, fp16 ${(tb / lines.count).toFixed(1)}`,
  );
  for (const d of differ) console.log(`  differs: ${d}`);
}
{
  const { bytes, half } = convert("ocrCls");
  const [a, b] = [await engine.createSession(bytes), await engine.createSession(half)];
  let same = 0;
  for (let i = 0; i < lines.count; i++) {
    const feeds = { x: { type: "float32" as const, ...clsInput(lines, i) } };
    const [ta, tb] = [Object.values(await a.run(feeds))[0]!, Object.values(await b.run(feeds))[0]!];
    const pa = clsTop1(ta.data as Float32Array, ta.dims);
    const pb = clsTop1(tb.data as Float32Array, tb.dims);
    if (pa === pb) same++;
  }
  console.log(`  top-1 equal on ${same}/${lines.count} lines`);
}
{
  const { bytes, half } = convert("sileroV5");
  const { audio } = readSpeech(join(FIXTURES, "speech"));
  const pf = await vadProbabilities(await engine.createSession(bytes), audio);
  const ph = await vadProbabilities(await engine.createSession(half), audio);
  const c = compareVad(pf.probs, ph.probs);
  console.log(
    `  ${pf.probs.length} frames: mean |dp| ${c.meanAbsDiff.toExponential(2)}, same decision ${(100 * c.agreement).toFixed(2)}%; ms per frame float ${pf.msPerFrame.toFixed(2)}, fp16 ${ph.msPerFrame.toFixed(2)}`,
  );
}
