// fp16 of the real models, run in onnxruntime-node against the float models on seeded inputs.
// Tolerances are what we measured on this machine (x86-64, onnxruntime-node 1.30 CPU), with margin;
// the inputs are synthetic (text-like strokes, voiced audio), so near-ties in the recogniser's argmax
// are commoner than on real text.
import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { convertFloatToFloat16, readModel, writeModel } from "../src/index";
import { MODELS } from "./_fixtures";
import { argmax, float16Sessions } from "./_float16Sessions";
import { audioFrames, textLine } from "./_textLines";

describe("fp16 real models run in onnxruntime-node close to the float model", () => {
  it("PP-OCR direction classifier: top-1 equal on 30/30 lines, max prob diff < 0.02 (measured 0.0098)", async () => {
    const s = await float16Sessions("ocrCls");
    expect(s.ratio).toBeGreaterThan(0.5);
    expect(s.ratio).toBeLessThan(0.56); // measured 0.538 (graph overhead of a small model)
    const rng = new Rng(8);
    let same = 0;
    let maxDiff = 0;
    for (let n = 0; n < 30; n++) {
      const x = new ort.Tensor("float32", textLine(rng, 48, 192), [1, 3, 48, 192]);
      const a = (await s.float.run({ x }))["softmax_0.tmp_0"]!.data as Float32Array;
      const b = (await s.half.run({ x }))["softmax_0.tmp_0"]!.data as Float32Array;
      if (argmax(a, 0, 2) === argmax(b, 0, 2)) same++;
      maxDiff = Math.max(maxDiff, Math.abs(a[0]! - b[0]!));
    }
    expect(same).toBe(30);
    expect(maxDiff).toBeLessThan(0.02);
  });

  it("Silero VAD v5 (weights in If branches): 64 frames, speech decisions equal, max prob diff < 0.005 (measured 5.9e-4)", async () => {
    const s = await float16Sessions("sileroV5");
    expect(s.ratio).toBeGreaterThan(0.5);
    expect(s.ratio).toBeLessThan(0.55); // measured 0.532
    expect(s.report.tensorsConverted).toBe(36);
    const frames = audioFrames(new Rng(9), 64);
    const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
    let stateA = new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]);
    let stateB = stateA;
    let maxDiff = 0;
    const decisions: boolean[] = [];
    for (const frame of frames) {
      const input = new ort.Tensor("float32", frame, [1, 512]);
      const a = await s.float.run({ input, state: stateA, sr });
      const b = await s.half.run({ input, state: stateB, sr });
      stateA = a.stateN as typeof stateA;
      stateB = b.stateN as typeof stateB;
      const pa = (a.output!.data as Float32Array)[0]!;
      const pb = (b.output!.data as Float32Array)[0]!;
      maxDiff = Math.max(maxDiff, Math.abs(pa - pb));
      expect(pb > 0.5).toBe(pa > 0.5);
      decisions.push(pa > 0.5);
    }
    // The input has both speech and non-speech frames (the check is not vacuous).
    expect(decisions.filter(Boolean).length).toBeGreaterThan(8);
    expect(decisions.filter((d) => !d).length).toBeGreaterThan(8);
    expect(maxDiff).toBeLessThan(0.005);
  });
});

describe("fp16 of the PP-OCRv4 detector: a BatchNormalization variance of 9.8e7", () => {
  it("stays float32 by default (output within 1e-3 of float), while clamping it to 65504 ruins the maps (measured 1.0)", async () => {
    const bytes = new Uint8Array(readFileSync(MODELS.ocrDet));
    const float = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor("float32", textLine(new Rng(1), 96, 256), [1, 3, 96, 256]);
    const expected = (await float.run({ x }))["sigmoid_0.tmp_0"]!.data as Float32Array;
    const diff = async (onOverflow: "float32" | "clamp") => {
      const { model, report } = convertFloatToFloat16(readModel(bytes), { onOverflow });
      expect(report.overflow.map((o) => [o.tensor, o.count, o.magnitude])).toEqual([
        ["batch_norm_0.w_2", 24, 97903600],
      ]);
      const half = await ort.InferenceSession.create(writeModel(model));
      const got = (await half.run({ x }))["sigmoid_0.tmp_0"]!.data as Float32Array;
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i]! - expected[i]!));
      return d;
    };
    expect(await diff("float32")).toBeLessThan(1e-3); // measured 5.4e-5
    expect(await diff("clamp")).toBeGreaterThan(0.5); // measured 1.0
  });
});

describe("fp16 of Silero VAD legacy: a 2^20 scale inside both If branches", () => {
  it("keeps the two Muls by 1048576 float32 inside the branches; 64 frames, decisions equal, max prob diff < 0.01 (measured 0.002)", async () => {
    const bytes = new Uint8Array(readFileSync(MODELS.sileroLegacy));
    const { model, report } = convertFloatToFloat16(readModel(bytes));
    expect(report.overflow.map((o) => [o.path, o.action, o.magnitude])).toEqual([
      ["main/If_25.else_branch", "kept float32", 1048576],
      ["main/If_25.then_branch", "kept float32", 1048576],
    ]);
    const half = writeModel(model);
    expect(half.length / bytes.length).toBeLessThan(0.52); // measured 0.508
    const float = await ort.InferenceSession.create(bytes);
    const fp16 = await ort.InferenceSession.create(half);
    const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
    const zero = new ort.Tensor("float32", new Float32Array(128), [2, 1, 64]);
    let state: Record<"a" | "b", { h: ort.Tensor; c: ort.Tensor }> = {
      a: { h: zero, c: zero },
      b: { h: zero, c: zero },
    };
    let maxDiff = 0;
    for (const frame of audioFrames(new Rng(9), 64)) {
      const input = new ort.Tensor("float32", frame, [1, 512]);
      const a = await float.run({ input, sr, ...state.a });
      const b = await fp16.run({ input, sr, ...state.b });
      state = { a: { h: a.hn!, c: a.cn! }, b: { h: b.hn!, c: b.cn! } };
      const pa = (a.output!.data as Float32Array).at(-1)!;
      const pb = (b.output!.data as Float32Array).at(-1)!;
      expect(pb > 0.5).toBe(pa > 0.5);
      maxDiff = Math.max(maxDiff, Math.abs(pa - pb));
    }
    expect(maxDiff).toBeLessThan(0.01);
  });
});
