// The Fashion-MNIST CNN fixture (trained and exported by fixtures/scripts/make_fashion_cnn.py): our int8
// accuracy on the 10,000 test images is at least PyTorch's own static PTQ of the same model - 0.2 pt
// (reference.json), calibrated on the same 1,000 training images.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { fashionAccuracy, fashionFeed, readFashion } from "../bench/_fashion";
import { ortEngine, quantizeStatic, readModel, writeModel } from "../src/index";
import { FASHION_MNIST, FIXTURES } from "./_realFixtures";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

describe("Fashion-MNIST CNN fixture", () => {
  it("int8 (min-max, per-channel weights) accuracy >= PyTorch's static PTQ - 0.2 pt", async () => {
    const dir = join(FIXTURES, "fashion-cnn");
    const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8"));
    const model = readModel(readFileSync(join(dir, ref.model)));
    const { mean, std } = ref.normalisation;
    const train = readFashion(FASHION_MNIST, "train", mean, std);
    const test = readFashion(FASHION_MNIST, "t10k", mean, std);
    const samples = Array.from({ length: 10 }, (_, k) =>
      fashionFeed(train.x, k * 100, 100, ref.onnx.input.name),
    );
    const { model: q, report } = await quantizeStatic(model, { engine, samples, evaluate: false });
    expect(report.nodes.filter((n) => n.quantized && n.opType !== "Relu").map((n) => n.opType)).toEqual([
      "Conv",
      "MaxPool",
      "Conv",
      "MaxPool",
      "Flatten",
      "Gemm",
    ]);
    const f = await fashionAccuracy(await engine.createSession(writeModel(model)), test);
    const i8 = await fashionAccuracy(await engine.createSession(writeModel(q)), test);
    expect(f.accuracy).toBeCloseTo(ref.fp32Accuracy, 3); // the fixture runs as PyTorch measured it
    expect(i8.accuracy).toBeGreaterThanOrEqual(ref.int8Accuracy - 0.002);
  });
});
