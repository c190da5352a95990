// Silero VAD v5 quantized, on the speech fixture (eSpeak NG speech with silence and noise, 117 s):
// mean |p_q - p_f| <= 0.02 and the same decision at 0.5 on >= 98% of the 32 ms frames.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { compareVad, readSpeech, vadProbabilities } from "../bench/_speech";
import { ortEngine, quantizeDynamic, quantizeStatic, readModel, sensitivity, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

describe("Silero VAD v5 on the speech fixture", async () => {
  const { audio, sampleRate } = readSpeech(join(FIXTURES, "speech"));
  const model = readModel(readFileSync(MODELS.sileroV5));
  const float = await vadProbabilities(await engine.createSession(writeModel(model)), audio, 57);

  it("the fixture is long enough: >= 60 s at 16 kHz", () => {
    expect(sampleRate).toBe(16000);
    expect(audio.length / 16000).toBeGreaterThanOrEqual(60);
  });

  it("q8: mean |dp| <= 0.02, same decision on >= 98% of frames", async () => {
    const { model: q } = quantizeDynamic(model);
    const probs = (await vadProbabilities(await engine.createSession(writeModel(q)), audio)).probs;
    const c = compareVad(float.probs, probs);
    expect(c.meanAbsDiff).toBeLessThanOrEqual(0.02);
    expect(c.agreement).toBeGreaterThanOrEqual(0.98);
  });

  // Static 8-bit activations of all six Convs of the 16 kHz branch miss the bar on this fixture (measured:
  // min-max 0.043 / 95.8%, entropy 0.034 / 97.6%). Leave-one-out sensitivity on the speech probability,
  // measured on the calibration frames, ranks encoder 0, encoder 1 and the STFT first (measured); keeping
  // those three float meets it. The test holds that recipe and records the full one's shortfall.
  it("int8 (64 calibration frames, min-max): the 3 most sensitive Convs float, mean |dp| <= 0.02 and >= 98% agreement", async () => {
    const samples = float.feeds.slice(0, 64);
    expect(samples.length).toBe(64);
    const ranked = await sensitivity(model, { engine, mode: "int8", samples, outputs: ["output"] });
    expect(ranked.nodes.length).toBe(6);
    const exclude = ranked.nodes.slice(0, 3).map((n) => n.node);
    const branch = "If_0_then_branch__Inline_0__/";
    expect(exclude.includes(`${branch}stft/Conv`)).toBe(true);
    const { model: q, report } = await quantizeStatic(model, { engine, samples, exclude, evaluate: false });
    expect(report.nodes.filter((n) => n.opType === "Conv" && n.quantized).length).toBe(3);
    const probs = (await vadProbabilities(await engine.createSession(writeModel(q)), audio)).probs;
    const c = compareVad(float.probs, probs);
    expect(c.meanAbsDiff).toBeLessThanOrEqual(0.02);
    expect(c.agreement).toBeGreaterThanOrEqual(0.98);
    const all = await quantizeStatic(model, { engine, samples, evaluate: false });
    const full = compareVad(
      float.probs,
      (await vadProbabilities(await engine.createSession(writeModel(all.model)), audio)).probs,
    );
    expect(full.meanAbsDiff).toBeGreaterThan(0.02); // if this starts to hold, drop the exclusions above
  });
});
