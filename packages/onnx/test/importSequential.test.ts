// importSequential: float ONNX chains into @quantkit/nn, checked against onnxruntime on the same inputs;
// the Fashion-MNIST fixture imported, fine-tuned with QAT, converted and exported back (the full run:
// bench/nnBridge.bench.ts and the README).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Adam,
  type Batch,
  type BatchNorm2d,
  type Conv2d,
  fit,
  type Linear,
  type MaxPool2d,
} from "@quantkit/nn";
import { defaultPerChannelQatQConfig } from "@quantkit/ptq";
import { convert, disableObserver, prepareQat } from "@quantkit/qat";
import { Rng } from "@quantkit/tensor";
import * as ortNode from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { readFashion } from "../bench/_fashion";
import {
  DataType,
  fromArray,
  type InferenceSession,
  type ModelProto,
  makeGraph,
  makeModel,
  makeNode,
  makeValueInfo,
  type NodeProto,
  ortEngine,
  readModel,
  writeModel,
} from "../src/index";
import { exportQuantizedModel, importSequential } from "../src/nn";
import { argmaxRows, runSession } from "./_nnModels";
import { FASHION_MNIST, FIXTURES } from "./_realFixtures";

const engine = ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1 } });
const fixture = join(FIXTURES, "fashion-cnn");
const FASHION_ABSENT = !existsSync(FASHION_MNIST);

const random = (n: number, seed: number) => new Rng(seed).fillUniform(new Float32Array(n), -1, 1);
const init = (name: string, dims: number[], seed: number) =>
  fromArray(
    random(
      dims.reduce((a, b) => a * b, 1),
      seed,
    ),
    { name, dims },
  );

/** A one-input, one-output float model of these nodes and initializers. */
function chain(
  nodes: NodeProto[],
  initializers: ReturnType<typeof fromArray>[],
  inShape: (number | string)[],
  out = "y",
): ModelProto {
  return makeModel(
    makeGraph({
      name: "chain",
      node: nodes,
      input: [makeValueInfo("x", DataType.FLOAT, inShape)],
      output: [makeValueInfo(out, DataType.FLOAT)],
      initializer: initializers,
    }),
    { opsets: { "": 13 } },
  );
}

/** The largest |nn - onnxruntime| over a batch of random inputs. */
async function maxDiff(model: ModelProto, perSample: number[], batch = 3) {
  const x = random(batch * perSample.reduce((a, b) => a * b, 1), 9);
  const session: InferenceSession = await engine.createSession(writeModel(model));
  const expected = await runSession(session, x, perSample);
  const actual = importSequential(model).forward(x, [batch, ...perSample]).data;
  expect(actual.length).toBe(expected.length);
  let d = 0;
  for (let i = 0; i < actual.length; i++) d = Math.max(d, Math.abs(actual[i]! - expected[i]!));
  return d;
}

describe("importSequential", () => {
  it("imports the Fashion-MNIST fixture with PyTorch's module names; logits equal onnxruntime's within 1e-4", async () => {
    const bytes = readFileSync(join(fixture, "model.onnx"));
    const model = importSequential(readModel(bytes));
    expect(model.names()).toEqual(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc"]);
    expect(model.parameters().map((p) => p.name)).toEqual([
      "conv1.weight",
      "conv1.bias",
      "conv2.weight",
      "conv2.bias",
      "fc.weight",
      "fc.bias",
    ]);
    expect(model.training).toBe(false);
    const x = random(64 * 784, 1);
    const expected = await runSession(await engine.createSession(bytes), x, [1, 28, 28]);
    const actual = model.forward(x, [64, 1, 28, 28]).data;
    let d = 0;
    for (let i = 0; i < actual.length; i++) d = Math.max(d, Math.abs(actual[i]! - expected[i]!));
    expect(d).toBeLessThan(1e-4);
  });

  it("Gemm with transB 0, alpha and beta, and MatMul + Add of a Constant node's bias, compute what onnxruntime computes", async () => {
    const gemm = chain(
      [makeNode("Gemm", ["x", "B", "C"], ["y"], { name: "/fc/Gemm", attributes: { alpha: 0.5, beta: 1.5 } })],
      [init("B", [6, 4], 1), init("C", [4], 2)],
      ["n", 6],
    );
    expect(await maxDiff(gemm, [6])).toBeLessThan(1e-5);
    const matmul = chain(
      [
        makeNode("Constant", [], ["b"], { name: "bias", attributes: { value: init("b", [5], 4) } }),
        makeNode("MatMul", ["x", "W"], ["h"], { name: "/fc1/MatMul" }),
        makeNode("Add", ["b", "h"], ["a"], { name: "/fc1/Add" }),
        makeNode("Relu", ["a"], ["y"], { name: "/act/Relu" }),
      ],
      [init("W", [6, 5], 3)],
      ["n", 6],
    );
    expect(await maxDiff(matmul, [6])).toBeLessThan(1e-5);
    const m = importSequential(matmul);
    expect(m.names()).toEqual(["fc1", "act"]);
    expect((m.get("fc1") as Linear).bias).not.toBeNull();
  });

  it("Conv (stride, dilation, groups) + Add bias, BatchNormalization, MaxPool (pads, ceil mode), Reshape [0, -1], Gemm", async () => {
    const model = chain(
      [
        makeNode("Conv", ["x", "conv.weight"], ["c"], {
          name: "/conv/Conv",
          attributes: { pads: [1, 2, 1, 2], strides: [1, 2], dilations: [2, 1], group: 2 },
        }),
        makeNode("Add", ["c", "cb"], ["cbias"], { name: "/conv/Add" }),
        makeNode("BatchNormalization", ["cbias", "s", "b", "mean", "var"], ["bn"], {
          name: "/bn/BatchNormalization",
          attributes: { epsilon: 1e-3 },
        }),
        makeNode("Relu", ["bn"], ["r"], { name: "/relu/Relu" }),
        makeNode("MaxPool", ["r"], ["p"], {
          name: "/pool/MaxPool",
          attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 },
        }),
        makeNode("Identity", ["p"], ["pi"], { name: "/id/Identity" }),
        makeNode("Reshape", ["pi", "shape"], ["f"], { name: "/flatten/Reshape" }),
        makeNode("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], {
          name: "/fc/Gemm",
          attributes: { transB: 1 },
        }),
      ],
      [
        init("conv.weight", [4, 1, 3, 3], 5),
        init("cb", [1, 4, 1, 1], 6),
        init("s", [4], 7),
        init("b", [4], 8),
        init("mean", [4], 9),
        fromArray(Float32Array.of(0.5, 1, 1.5, 2), { name: "var" }),
        fromArray(BigInt64Array.of(0n, -1n), { name: "shape" }),
        init("fc.weight", [3, 4 * 4 * 4], 10),
        init("fc.bias", [3], 11),
      ],
      ["n", 2, 9, 9],
    );
    const m = importSequential(model);
    expect(m.names()).toEqual(["conv", "bn", "relu", "pool", "flatten", "fc"]);
    expect((m.get("conv") as Conv2d).geometry).toMatchObject({
      groups: 2,
      strideW: 2,
      dilationH: 2,
      padLeft: 2,
    });
    expect((m.get("bn") as BatchNorm2d).eps).toBeCloseTo(1e-3, 9);
    expect((m.get("pool") as MaxPool2d).ceilMode).toBe(true);
    expect(await maxDiff(model, [2, 9, 9])).toBeLessThan(1e-5);
  });

  it("errors name the node, its op and what is supported", () => {
    const one =
      (node: NodeProto, inits: ReturnType<typeof fromArray>[] = [], shape: (number | string)[] = ["n", 4]) =>
      () =>
        importSequential(
          chain(
            [makeNode("Gemm", ["x", "W"], ["h"], { name: "/fc/Gemm" }), node],
            [init("W", [4, 4], 1), ...inits],
            shape,
          ),
        );
    expect(one(makeNode("Softmax", ["h"], ["y"], { name: "/sm/Softmax" }))).toThrow(
      /node "\/sm\/Softmax" \(Softmax\): is not supported; supported: Gemm, MatMul/,
    );
    expect(
      one(makeNode("Reshape", ["h", "s"], ["y"], { name: "r" }), [
        fromArray(BigInt64Array.of(2n, 2n, -1n), { name: "s" }),
      ]),
    ).toThrow(/node "r" \(Reshape\): shape \[2, 2, -1\] is not a flatten/);
    expect(() =>
      importSequential(
        chain(
          [makeNode("Conv", ["x", "W"], ["y"], { name: "c", attributes: { pads: [0, 0, 1, 1] } })],
          [init("W", [2, 1, 3, 3], 1)],
          ["n", 1, 5, 5],
        ),
      ),
    ).toThrow(/node "c" \(Conv\): pads \[0, 0, 1, 1\] must be 2-D and the same on both sides/);
    expect(() =>
      importSequential(chain([makeNode("MatMul", ["x", "x"], ["y"], { name: "mm" })], [], ["n", 4])),
    ).toThrow(/node "mm" \(MatMul\): B \(input 1, "x"\) must be an initializer or a Constant/);
    expect(() =>
      importSequential(
        chain(
          [makeNode("Relu", ["x"], ["a"], { name: "r1" }), makeNode("Relu", ["x"], ["y"], { name: "r2" })],
          [],
          ["n", 4],
        ),
      ),
    ).toThrow(/"x" feeds 2 nodes \("r1" \(Relu\), "r2" \(Relu\)\); a Sequential is a chain/);
    expect(() =>
      importSequential(chain([makeNode("Relu", ["x"], ["y"], { name: "r" })], [], ["n", 4])),
    ).toThrow(/no Gemm, MatMul or Conv/);
    const ok = chain([makeNode("Gemm", ["x", "W"], ["y"])], [init("W", [4, 4], 1)], ["n", 4]);
    expect(() => importSequential(ok, { shape: [4] } as never)).toThrow(/unknown option "shape"/);
    expect(() => importSequential(ok, { inputShape: [5] })).toThrow(
      /options\.inputShape \[5\] does not fit input "x"/,
    );
  });

  it.skipIf(FASHION_ABSENT)(
    "logits on 1,000 test images within 1e-4 of onnxruntime's; import -> QAT (40 steps) -> convert: int8 accuracy on 1,000 Fashion-MNIST test images >= fp32 - 0.5 pt; exported back, onnxruntime agrees with the integer model",
    async () => {
      const ref = JSON.parse(readFileSync(join(fixture, "reference.json"), "utf8"));
      const { mean, std } = ref.normalisation;
      const train = readFashion(FASHION_MNIST, "train", mean, std);
      const test = readFashion(FASHION_MNIST, "t10k", mean, std);
      const n = 1000;
      const x = test.x.subarray(0, n * 784);
      const labels = test.labels.subarray(0, n);
      const accuracy = (pred: Int32Array) => pred.filter((p, i) => p === labels[i]).length / n;
      const model = importSequential(readModel(readFileSync(join(fixture, "model.onnx"))));
      const logits = model.forward(x, [n, 1, 28, 28]).data;
      const fromOrt = await runSession(
        await engine.createSession(readFileSync(join(fixture, "model.onnx"))),
        x,
        [1, 28, 28],
      );
      let d = 0;
      for (let i = 0; i < logits.length; i++) d = Math.max(d, Math.abs(logits[i]! - fromOrt[i]!));
      expect(d).toBeLessThan(1e-4); // on real test images too (measured 4.6e-5 over all 10,000)
      const fp32 = accuracy(argmaxRows(logits, 10));
      const batches: Batch[] = Array.from({ length: 40 }, (_, i) => ({
        x: train.x.subarray(i * 32 * 784, (i + 1) * 32 * 784),
        y: Array.from(train.labels.subarray(i * 32, (i + 1) * 32)),
        size: 32,
        shape: [32, 1, 28, 28],
      }));
      const qat = prepareQat(model, defaultPerChannelQatQConfig);
      await fit(qat, batches, { optimizer: new Adam(qat.parameters(), { lr: 1e-4 }) });
      disableObserver(qat);
      qat.eval();
      const q = convert(qat, { inputShape: [1, 28, 28] });
      const pred = q.predict(x, n);
      expect(accuracy(pred)).toBeGreaterThanOrEqual(fp32 - 0.005); // measured: fp32 88.8%, int8 89.1%
      const session = await engine.createSession(writeModel(exportQuantizedModel(q)));
      const back = argmaxRows(await runSession(session, x, [1, 28, 28]), 10);
      expect(back.filter((p, i) => p === pred[i]).length).toBeGreaterThanOrEqual(0.995 * n);
    },
    30_000,
  );
});
