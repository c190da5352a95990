import { Adam, argmax, createMlp, fit, Identity, Linear, loadStateDict, ReLU, stateDict } from "@quantkit/nn";
import {
  createQConfig,
  DeQuantStub,
  defaultQatQConfig,
  defaultQConfig,
  QuantStub,
  quantizationReport,
} from "@quantkit/ptq";
import { afterAll, describe, expect, it } from "vitest";
import { batchesOf, mnistSlice } from "../../ptq/test/_fixtures";
import { kernelBackends } from "../../ptq/test/_kernelSets";
import { convert, disableObserver, FakeQuantize, prepareQat, QatConv2d, QatLinear } from "../src/index";

const { kernelSets, destroy } = kernelBackends();
afterAll(destroy);

describe("prepareQat", () => {
  it("fuses, puts fake quantizers on the input, weights and outputs, and keeps the float model's parameter names", () => {
    const mlp = createMlp([8, 6, 4], { seed: 0 });
    const qat = prepareQat(mlp);
    expect(qat.names()).toEqual(["quant", "fc1", "relu1", "fc2", "dequant"]);
    expect(qat.get("quant")).toBeInstanceOf(QuantStub);
    expect((qat.get("quant") as QuantStub).activationPostProcess).toBeInstanceOf(FakeQuantize);
    expect(qat.get("fc1")).toBeInstanceOf(QatLinear);
    expect((qat.get("fc1") as QatLinear).relu).toBe(true);
    expect(qat.get("relu1")).toBeInstanceOf(Identity);
    expect(qat.get("dequant")).toBeInstanceOf(DeQuantStub);
    expect(qat.training).toBe(true);
    expect(qat.parameters().map((p) => p.name)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    const fq = qat
      .namedModules()
      .filter(([, m]) => m instanceof FakeQuantize)
      .map(([n]) => n);
    expect(fq).toEqual([
      "quant.activation_post_process",
      "fc1.weight_fake_quant",
      "fc1.activation_post_process",
      "fc2.weight_fake_quant",
      "fc2.activation_post_process",
    ]);
    // a copy: training it leaves the float model alone
    qat.parameters()[0]!.data.fill(0);
    expect((mlp.get("fc1") as Linear).weight.data.some((v) => v !== 0)).toBe(true);
  });

  it("loads trained fp32 weights by name (fine-tuning) and rejects qconfigs the integer model cannot run", () => {
    const trained = createMlp([8, 6, 4], { seed: 3 });
    const qat = prepareQat(createMlp([8, 6, 4], { seed: 9 }), defaultQatQConfig);
    loadStateDict(qat, stateDict(trained));
    expect(Array.from((qat.get("fc2") as QatLinear).float.weight.data)).toEqual(
      Array.from((trained.get("fc2") as Linear).weight.data),
    );
    expect(() =>
      prepareQat(trained, {
        ...defaultQConfig,
        activation: { observer: "minmax", options: { dtype: "qint8" } },
      }),
    ).toThrow(/uint8 codes/);
  });

  it.each([2, 3, 4, 5, 6, 7, 8])(
    "%i bits: fake-quantized weights and activations take at most 2^bits values",
    (bits) => {
      const qat = prepareQat(createMlp([16, 12, 5], { seed: bits }), createQConfig({ bits, qat: true }));
      const x = new Float32Array(4 * 16).map((_, i) => Math.sin(i));
      const y = qat.forward(x, [4, 16]).data;
      const fc1 = qat.get("fc1") as QatLinear;
      const w = fc1.weightFakeQuant.forward(fc1.float.weight.data, fc1.float.weight.shape).data;
      expect(new Set(w).size).toBeLessThanOrEqual(2 ** bits);
      const q = fc1.weightFakeQuant.calculateQParams();
      expect([q.quantMin, q.quantMax]).toEqual([-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]);
      expect(new Set(y).size).toBeLessThanOrEqual(2 ** bits);
    },
  );

  it("prepares conv nets too (BatchNorm folded before training)", async () => {
    const { Sequential, Conv2d, BatchNorm2d, Flatten } = await import("@quantkit/nn");
    const net = new Sequential([
      ["conv", new Conv2d(1, 2, 3, { seed: 1 })],
      ["bn", new BatchNorm2d(2)],
      ["relu", new ReLU()],
      ["flat", new Flatten()],
      ["fc", new Linear(8, 3, { seed: 2 })],
    ]);
    const qat = prepareQat(net);
    expect(qat.get("conv")).toBeInstanceOf(QatConv2d);
    expect(qat.sources.get("conv")).toEqual(["conv", "bn", "relu"]);
    const x = new Float32Array(2 * 16).map((_, i) => Math.cos(i));
    expect(qat.forward(x, [2, 1, 4, 4]).shape).toEqual([2, 3]);
    expect(qat.backward(new Float32Array(6).fill(0.1)).length).toBe(32);
  });
});

describe("quantization-aware training, end to end on an MNIST slice", () => {
  it("trains with @quantkit/nn's fit, converts to the same integer model as PTQ, and the integer model agrees with the fake-quantized float model on >= 99.5% of predictions on every backend", async () => {
    const data = await mnistSlice(1500, 400);
    const qat = prepareQat(createMlp([784, 32, 10], { seed: 0 }), defaultQatQConfig);
    const result = await fit(qat, batchesOf(data.train.images, data.train.labels, [784], 10), {
      optimizer: new Adam(qat.parameters(), { lr: 2e-3 }),
    });
    expect(result.epochs[0]!.loss).toBeLessThan(1.2);
    disableObserver(qat);
    qat.eval();
    const n = data.test.count;
    const floatPred = argmax(qat.forward(data.test.images, [n, 784]).data, [n, 10]);
    let correct = 0;
    for (let i = 0; i < n; i++) if (floatPred[i] === data.test.labels[i]) correct++;
    expect(correct / n).toBeGreaterThan(0.75);
    const q = convert(qat);
    expect(q.layers.map((l) => l.kind)).toEqual(["linear", "linear"]);
    expect(q.input.quantMax).toBe(127); // default_qat_qconfig's reduce range
    // the converted scales are the fake quantizers' own
    expect(q.input.scale).toBe(
      (qat.get("quant") as QuantStub).activationPostProcess.calculateQParams().scale[0],
    );
    expect(q.linearLayers[0]!.weight.scale[0]).toBe((qat.get("fc1") as QatLinear).weightFakeQuant.scale![0]);
    for (const [name, kernels] of kernelSets) {
      const pred = q.predict(data.test.images, n, { kernels });
      let same = 0;
      for (let i = 0; i < n; i++) if (pred[i] === floatPred[i]) same++;
      expect(same / n, name).toBeGreaterThanOrEqual(0.995);
    }
    // and the per-layer report of @quantkit/ptq works on it
    const rows = quantizationReport(q, qat, data.test.images.subarray(0, 50 * 784), 50);
    expect(rows.map((r) => r.name)).toEqual(["quant", "fc1", "fc2"]);
  });
});
