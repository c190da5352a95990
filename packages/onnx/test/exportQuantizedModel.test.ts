// exportQuantizedModel: ptq's integer models (PTQ and QAT-converted) as QDQ ONNX that onnxruntime runs with
// ptq's predictions. Models trained here on bundled MNIST digits; the full 10,000-digit figures are in
// bench/exportQuantizedModel.bench.ts and the README.
import { Conv2d, createMlp, Flatten, Linear, MaxPool2d, ReLU, Sequential } from "@quantkit/nn";
import {
  defaultPerChannelQConfig,
  defaultQConfig,
  parseQuantizedModel,
  type QuantizedModel,
  serializeQuantizedModel,
} from "@quantkit/ptq";
import { Rng } from "@quantkit/tensor";
import * as ortNode from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { getAttribute, getInitializer, ortEngine, readModel, toArray, writeModel } from "../src/index";
import { exportQuantizedModel } from "../src/nn";
import { compare, mnist, ptq, qat, runSession, smallCnn, train } from "./_nnModels";
import { web } from "./_webEngines";

const _node = ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1 } });
// The float path (graph optimisations "basic": no QDQ fusion into onnxruntime's integer kernels): its
// numbers do not depend on the CPU (the fused u8s8 kernels saturate on AVX2 without VNNI).
const nodeFloat = ortEngine(ortNode, {
  sessionOptions: { intraOpNumThreads: 1, graphOptimizationLevel: "basic" },
});

let data: Awaited<ReturnType<typeof mnist>>;
let mlp: QuantizedModel;
let mlpPerChannel: QuantizedModel;
let cnn: QuantizedModel;
let mlpQat: QuantizedModel;

beforeAll(async () => {
  data = await mnist(2000, 1000);
  const floatMlp = await train(createMlp([784, 32, 16, 10], { seed: 0 }), data, [784], 2);
  mlp = await ptq(floatMlp, defaultQConfig, data.train.images, [784]);
  mlpPerChannel = await ptq(floatMlp, defaultPerChannelQConfig, data.train.images, [784]);
  mlpQat = await qat(floatMlp, data, [784]);
  cnn = await ptq(
    await train(smallCnn(), data, [1, 28, 28]),
    defaultPerChannelQConfig,
    data.train.images,
    [1, 28, 28],
  );
}, 60_000);

async function agreement(q: QuantizedModel, engine = nodeFloat, x = data.test.images) {
  const session = await engine.createSession(writeModel(exportQuantizedModel(q)));
  return compare(q, x, await runSession(session, x, q.inputShape));
}

describe("exportQuantizedModel", () => {
  it("writes ptq's int8 weight codes, int32 bias and scales as they are (no requantization)", () => {
    const onnx = readModel(writeModel(exportQuantizedModel(mlpPerChannel)));
    const g = onnx.graph!;
    expect(onnx.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 13]]);
    for (const [i, layer] of mlpPerChannel.layers.entries()) {
      if (layer.kind !== "linear") continue;
      expect(toArray(getInitializer(g, `${layer.name}.weight_quantized`)!)).toEqual(layer.kernel.weight);
      expect(toArray(getInitializer(g, `${layer.name}.weight_scale`)!)).toEqual(layer.weight.scale);
      expect(toArray(getInitializer(g, `${layer.name}.bias_quantized`)!)).toEqual(layer.kernel.bias);
      const input = i === 0 ? mlpPerChannel.input : mlpPerChannel.activations[i - 1]!;
      const biasScale = toArray(getInitializer(g, `${layer.name}.bias_scale`)!) as Float32Array;
      expect([...biasScale]).toEqual([...layer.weight.scale].map((s) => Math.fround(input.scale * s)));
      const dq = g.node.find((n) => n.output[0] === `${layer.name}.weight`)!;
      expect(getAttribute(dq, "axis")).toBe(0n);
      const outScale = toArray(getInitializer(g, `${layer.name}.output.scale`)!) as Float32Array;
      expect(outScale[0]).toBe(layer.output.scale);
      expect(toArray(getInitializer(g, `${layer.name}.output.zero_point`)!)[0]).toBe(layer.output.zeroPoint);
    }
    expect(g.node.filter((n) => n.opType === "Gemm").length).toBe(3);
    expect(g.input[0]!.name).toBe("input");
    expect(g.output[0]!.name).toBe("logits");
  });

  it("clips the codes to ptq's 7-bit activation range (reduceRange) and not otherwise", () => {
    const ops = (q: QuantizedModel) => exportQuantizedModel(q).graph!.node.map((n) => n.opType);
    expect(ops(mlp).filter((o) => o === "Clip").length).toBe(4); // input + 3 layers, [0, 127]
    expect(mlp.layers.every((l) => l.kind !== "linear" || l.output.quantMax === 127)).toBe(true);
  });

  it("MLP (PTQ, per tensor, 7-bit activations): onnxruntime's argmax equals ptq's on >= 99.5% of 1,000 digits, logits within one output step", async () => {
    const r = await agreement(mlp);
    expect(r.agreement).toBeGreaterThanOrEqual(0.995);
    expect(r.maxSteps).toBeLessThanOrEqual(1.001);
    expect(r.differing / r.logits).toBeLessThan(0.02);
  });

  it("MLP (PTQ, per channel) and the QAT-converted MLP agree the same way", async () => {
    for (const q of [mlpPerChannel, mlpQat]) {
      const r = await agreement(q);
      expect(r.agreement).toBeGreaterThanOrEqual(0.995);
      expect(r.maxSteps).toBeLessThanOrEqual(1.001);
    }
  });

  it("CNN (Conv-BN-ReLU, MaxPool, ceil mode, unfused ReLU, Flatten, Gemm): argmax agreement >= 99.5%", async () => {
    expect(cnn.layers.map((l) => l.kind)).toEqual([
      "conv2d",
      "maxpool2d",
      "conv2d",
      "maxpool2d",
      "relu",
      "flatten",
      "linear",
    ]);
    const r = await agreement(cnn);
    expect(r.agreement).toBeGreaterThanOrEqual(0.995);
    expect(r.maxSteps).toBeLessThanOrEqual(2.001);
  });

  it("runs in onnxruntime-web (WASM) with the same agreement", async () => {
    const r = await agreement(cnn, web, data.test.images.subarray(0, 200 * 784));
    expect(r.n).toBe(200);
    expect(r.agreement).toBeGreaterThanOrEqual(0.99);
  });

  it("a Flatten that keeps an axis becomes a Reshape and a Linear on it a MatMul + Add (axis 1 scales)", async () => {
    const rng = new Rng(3);
    const model = new Sequential([
      ["conv", new Conv2d(1, 3, 3, { padding: 1, rng })],
      ["pool", new MaxPool2d(2, { stride: 2, padding: 1 })],
      ["relu", new ReLU()],
      ["flat", new Flatten(2)],
      ["fc", new Linear(25, 4, { rng })],
    ]);
    model.eval();
    const x = new Rng(4).fillUniform(new Float32Array(64 * 64), -1, 2);
    const q = await ptq(model, defaultPerChannelQConfig, x, [1, 8, 8]);
    const onnx = exportQuantizedModel(q, { batch: 64 });
    const ops = onnx.graph!.node.map((n) => n.opType);
    expect(ops).toContain("Reshape");
    expect(ops).toContain("MatMul");
    const dq = onnx.graph!.node.find((n) => n.output[0] === "fc.weight")!;
    expect(getAttribute(dq, "axis")).toBe(1n);
    const session = await nodeFloat.createSession(writeModel(onnx));
    const y = await runSession(session, x, [1, 8, 8]);
    const ours = q.forward(x, 64).data;
    expect(y.length).toBe(ours.length);
    let steps = 0;
    for (let i = 0; i < y.length; i++) steps = Math.max(steps, Math.abs(y[i]! - ours[i]!) / q.output.scale);
    expect(steps).toBeLessThanOrEqual(1.001);
  });

  it("a model saved and loaded by ptq (serializeQuantizedModel -> parseQuantizedModel) exports to the same bytes", () => {
    for (const q of [mlp, cnn]) {
      const loaded = parseQuantizedModel(serializeQuantizedModel(q));
      expect(writeModel(exportQuantizedModel(loaded))).toEqual(writeModel(exportQuantizedModel(q)));
    }
  });

  it("rejects unknown options, bad option values and models that are not QuantizedModels, naming them", () => {
    expect(() => exportQuantizedModel(mlp, { opset: 17 } as never)).toThrow(/unknown option "opset"/);
    expect(() => exportQuantizedModel(mlp, { batch: 0 })).toThrow(/options\.batch .* got 0/);
    expect(() => exportQuantizedModel(mlp, { inputName: "" })).toThrow(/options\.inputName/);
    expect(() => exportQuantizedModel({ layers: [] } as never)).toThrow(/must be a QuantizedModel/);
  });
});
