// The PP-OCRv4 recogniser's int8 for onnxruntime-web: depthwise Convs with 8-bit weights in front of a
// float Conv (`depthwise: "weights"`; WASM's quantized depthwise kernel is a scalar loop). Its speed is
// measured by bench/quantize.bench.ts (--int8-depthwise weights: 1.3-1.4x the float model in
// onnxruntime-web, this machine); the test guards its size and agreement, as ppocrRecogniser.test.ts
// does for the default int8.
import { describe, expect, it } from "vitest";
import { quantizeStatic, writeModel } from "../src/index";
import { engine, recogniser } from "./_recogniser";

describe("PP-OCRv4 recogniser int8 with depthwise Convs out of QDQ", async () => {
  const { model, calibration, texts, agreement } = await recogniser();

  it('depthwise: "weights": <= 3.0 MB, the same text on >= 95% of lines (measured 96.6%), all 14 depthwise Convs float', async () => {
    const { model: q, report } = await quantizeStatic(model, {
      engine,
      samples: calibration,
      evaluate: false,
      depthwise: "weights",
    });
    // none sits between quantized nodes with only Relu / Clip after it, so none is written QDQ anyway
    const dw = report.nodes.filter((n) => n.detail.endsWith("float Conv (options.depthwise)"));
    expect(dw.length).toBe(14);
    expect(report.nodes.some((n) => n.detail.includes("despite options.depthwise"))).toBe(false);
    const bytes = writeModel(q);
    expect(bytes.length).toBeLessThanOrEqual(3_000_000);
    expect(agreement(await texts(bytes))).toBeGreaterThanOrEqual(0.95);
  });
});
