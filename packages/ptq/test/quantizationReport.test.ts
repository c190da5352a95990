import { dequantize, quantize, sqnr } from "@quantkit/quantizers";
import { describe, expect, it } from "vitest";
import {
  calibrate,
  convert,
  createQConfig,
  defaultQConfig,
  formatQuantizationReport,
  prepare,
  quantizationReport,
} from "../src/index";
import { batchesOf, convNet, randomInput, trainedMlp } from "./_fixtures";

describe("quantizationReport", () => {
  it("reports each activation's range, scale, zero point and SQNR against the float model", async () => {
    const { model, data } = await trainedMlp();
    const p = prepare(model, defaultQConfig);
    const calib = data.train.images.subarray(0, 300 * 784);
    await calibrate(p, batchesOf(calib, data.train.labels, [784], 100));
    const q = convert(p);
    const x = data.test.images.subarray(0, 200 * 784);
    const rows = quantizationReport(q, model, x, 200);
    expect(rows.map((r) => [r.name, r.kind, r.sourceName])).toEqual([
      ["quant", "input", ""],
      ["fc1", "linear", "relu1"],
      ["fc2", "linear", "relu2"],
      ["fc3", "linear", "fc3"],
    ]);
    const input = rows[0]!;
    const calibMin = calib.reduce((a, b) => Math.min(a, b));
    const calibMax = calib.reduce((a, b) => Math.max(a, b));
    expect(input.observedMin).toBe(calibMin);
    expect(input.observedMax).toBe(calibMax);
    // PyTorch's MinMaxObserver arithmetic (reduce_range: quint8 0..127) on the calibration data's own
    // range, in float32, written out here: nothing below comes from the report or the model.
    const lo = Math.min(calibMin, 0);
    const hi = Math.max(calibMax, 0);
    const scale = Math.max(Math.fround(Math.fround(hi - lo) / 127), 2 ** -23); // eps: float32 epsilon;
    const ratio = Math.fround(lo / scale);
    const rounded = Math.abs(ratio % 1) === 0.5 ? 2 * Math.round(ratio / 2) : Math.round(ratio);
    const zeroPoint = Math.min(127, Math.max(0, 0 - rounded));
    expect([input.quantMin, input.quantMax, input.scale, input.zeroPoint]).toEqual([
      0,
      127,
      scale,
      zeroPoint,
    ]);
    expect([q.input.scale, q.input.zeroPoint]).toEqual([scale, zeroPoint]);
    expect(input.rangeMin).toBeCloseTo(-q.input.zeroPoint * q.input.scale, 12);
    expect(input.rangeMax).toBeCloseTo((127 - q.input.zeroPoint) * q.input.scale, 12);
    const qp = {
      scale: Float32Array.of(q.input.scale),
      zeroPoint: Int32Array.of(q.input.zeroPoint),
      quantMin: 0,
      quantMax: 127,
      qscheme: "per_tensor_affine",
      dtype: "quint8",
    } as const;
    expect(input.sqnrDb).toBeCloseTo(sqnr(x, dequantize(quantize(x, [x.length], qp), [x.length], qp)), 10);
    for (const r of rows) {
      expect(r.sqnrDb).toBeGreaterThan(25); // 8-bit activations: about 6 dB a bit, less what accumulates
      expect(r.clippedFraction).toBeLessThan(0.05);
    }
    expect(rows[1]!.weightBits).toBe(8);
    expect(rows[1]!.weightSqnrDb).toBeGreaterThan(30);
    const text = formatQuantizationReport(rows);
    expect(text.split("\n")[0]).toMatch(
      /^layer\s+kind\s+observed min..max\s+range min..max\s+scale\s+zp\s+codes\s+weights/,
    );
    expect(text).toMatch(/\nfc1\s+linear\s+0\.000\.\.\S+\s+0\.000\.\./);
  });

  it("shows the loss of precision at 2 bits", async () => {
    const { model, data } = await trainedMlp();
    const p = prepare(model, createQConfig({ bits: 2 }));
    await calibrate(p, batchesOf(data.train.images, data.train.labels, [784], 100), { maxBatches: 3 });
    const rows = quantizationReport(convert(p), model, data.test.images.subarray(0, 100 * 784), 100);
    for (const r of rows) expect(r.sqnrDb).toBeLessThan(15);
    expect(rows[1]!.weightBits).toBe(2);
  });

  it("reports conv nets against the folded model's ReLU outputs, pooling included", async () => {
    const net = convNet(2);
    const p = prepare(net);
    const x = randomInput(20 * 144, 4, -1, 2);
    await calibrate(p, batchesOf(x, new Uint8Array(20), [1, 12, 12], 10));
    const rows = quantizationReport(convert(p), net, x.subarray(0, 5 * 144), 5);
    expect(rows.map((r) => `${r.name}:${r.sourceName}`)).toEqual([
      "quant:",
      "conv1:relu1",
      "pool:pool",
      "conv2:relu2",
      "conv3:relu3",
      "fc1:relu4",
      "fc2:fc2",
    ]);
    for (const r of rows) expect(r.sqnrDb).toBeGreaterThan(20);
  });
});
