// fp16 of Silero VAD v5 on the repository's speech fixture (fixtures/speech: 117 s of eSpeak NG speech
// with silence and noise), against the float model in onnxruntime-node.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { compareVad, readSpeech, vadProbabilities } from "../bench/_speech";
import { convertFloatToFloat16, ortEngine, readModel, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const fp16 = () => writeModel(convertFloatToFloat16(readModel(readFileSync(MODELS.sileroV5))).model);

describe("fp16 on the speech fixture", () => {
  it("Silero VAD v5 on 117 s of speech: mean |dp| <= 0.02 and >= 98% same decisions (measured 1.9e-4, 100%)", async () => {
    const { audio } = readSpeech(join(FIXTURES, "speech"));
    const float = await vadProbabilities(await engine.createSession(readFileSync(MODELS.sileroV5)), audio);
    const half = await vadProbabilities(await engine.createSession(fp16()), audio);
    const c = compareVad(float.probs, half.probs);
    expect(c.speechFrames).toBeGreaterThan(500);
    expect(c.meanAbsDiff).toBeLessThanOrEqual(0.02);
    expect(c.agreement).toBeGreaterThanOrEqual(0.98);
  });
});
