// fp16 of the PP-OCRv4 recogniser (its own file: the slowest model to run), run in onnxruntime-node against the float models on seeded inputs.
// Tolerances are what we measured on this machine (x86-64, onnxruntime-node 1.30 CPU), with margin;
// the inputs are synthetic (text-like strokes, voiced audio), so near-ties in the recogniser's argmax
// are commoner than on real text.
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { inspect } from "../src/index";
import { argmax, float16Sessions } from "./_float16Sessions";
import { textLine } from "./_textLines";

/** Greedy CTC decoding: argmax per step, repeats collapsed, blank (0) dropped. */
const ctc = (p: Float32Array, steps: number, classes: number) => {
  const out: number[] = [];
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    const k = argmax(p, t * classes, classes);
    if (k !== prev && k !== 0) out.push(k);
    prev = k;
  }
  return out.join(",");
};

describe("fp16 PP-OCRv4 recogniser runs in onnxruntime-node close to the float model", () => {
  it("PP-OCRv4 recogniser: half the size, same CTC string on >= 9/12 lines (measured 11), max prob diff < 0.1 (measured 0.025)", async () => {
    const s = await float16Sessions("ocrRec");
    expect(s.ratio).toBeGreaterThan(0.49);
    expect(s.ratio).toBeLessThan(0.52); // measured 0.503
    expect(inspect(s.model).dtypes.float32).toBeUndefined();
    const rng = new Rng(7);
    let same = 0;
    let stepsSame = 0;
    let steps = 0;
    let maxDiff = 0;
    for (let n = 0; n < 12; n++) {
      const x = new ort.Tensor("float32", textLine(rng, 48, 256), [1, 3, 48, 256]);
      const a = (await s.float.run({ x }))["softmax_11.tmp_0"]!;
      const b = (await s.half.run({ x }))["softmax_11.tmp_0"]!;
      const [, T, C] = a.dims as number[];
      const pa = a.data as Float32Array;
      const pb = b.data as Float32Array;
      for (let i = 0; i < pa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pa[i]! - pb[i]!));
      for (let t = 0; t < T!; t++, steps++)
        if (argmax(pa, t * C!, C!) === argmax(pb, t * C!, C!)) stepsSame++;
      if (ctc(pa, T!, C!) === ctc(pb, T!, C!)) same++;
    }
    expect(same).toBeGreaterThanOrEqual(9); // margin for other CPUs' float32 sums at near-ties
    expect(stepsSame / steps).toBeGreaterThan(0.98); // measured 382 / 384 steps
    expect(maxDiff).toBeLessThan(0.1);
  });
});
