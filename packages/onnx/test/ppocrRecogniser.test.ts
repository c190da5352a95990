// The PP-OCRv4 recogniser quantized, on the text-line fixture read as PP-OCR's pipeline reads a line
// (upright, at its own width): the decoded text (leading and trailing spaces dropped) equal to the float
// model's. The bars (fp16 >= 99.5%, q8 and int8 >= 97%) are measured by bench/quantize.bench.ts
// and bench/float16.bench.ts (this machine, Intel Xeon with VNNI: fp16 100%, q8 99.2% (depthwise Convs float, the default), int8 97.5%); the
// test guards them with a margin of a few lines, because near-ties in the float model's own output (a
// space at a line's end, O against 0) can flip with another CPU's float kernels.
import { describe, expect, it } from "vitest";
import { convertFloatToFloat16, quantizeDynamic, quantizeStatic, writeModel } from "../src/index";
import { engine, recogniser } from "./_recogniser";

describe("PP-OCRv4 recogniser on the text-line fixture, each line upright at its own width", async () => {
  const { lines, model, calibration, evaluation, texts, float, agreement } = await recogniser();

  it("the float model reads >= 95% of the 236 evaluation lines exactly as rendered (measured 96.2%)", () => {
    expect(evaluation.length).toBe(236);
    const truth = lines.texts.slice(64);
    expect(float.filter((t, i) => t === truth[i]).length / float.length).toBeGreaterThanOrEqual(0.95);
  });

  it("fp16: the same text on >= 99% of lines (measured 100%)", async () => {
    expect(agreement(await texts(writeModel(convertFloatToFloat16(model).model)))).toBeGreaterThanOrEqual(
      0.99,
    );
  });

  it("q8 (depthwise Convs float, the default): the same text on >= 97% of lines (measured 99.2%)", async () => {
    expect(agreement(await texts(writeModel(quantizeDynamic(model).model)))).toBeGreaterThanOrEqual(0.97);
  });

  it("int8 (64 calibration lines, min-max): <= 3.0 MB and the same text on >= 95% of lines (measured 97.5%)", async () => {
    const { model: q } = await quantizeStatic(model, { engine, samples: calibration, evaluate: false });
    const bytes = writeModel(q);
    expect(bytes.length).toBeLessThanOrEqual(3_000_000);
    expect(agreement(await texts(bytes))).toBeGreaterThanOrEqual(0.95);
  });
});
