// The "@quantkit/onnx/nn" bridge measured at full size (the README's figures):
// 1. exportQuantizedModel: the seed MLP (784-100-100-10, PTQ with PyTorch's default qconfig), its QAT
//    fine-tune, and a small CNN (per-channel PTQ), each written as QDQ ONNX and run over all 10,000 bundled
//    MNIST digits by onnxruntime-node (float path "basic" and fused "all") and onnxruntime-web (WASM):
//    predictions and logits against ptq's integer model, and where the codes first differ (layer by layer).
// 2. importSequential: the Fashion-MNIST fixture imported, QAT fine-tuned (STEPS steps of 64), converted;
//    int8 accuracy on the 10,000 test images against PyTorch's static PTQ (reference.json); exported back,
//    onnxruntime's predictions against the integer model's.
// Run: pnpm --filter @quantkit/onnx bench:nn [--steps 300] [--parts export,import]
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { loadBundledMnist, normalize, shuffleDataset } from "@quantkit/datasets";
import { Adam, type Batch, createMlp, fit, type Module } from "@quantkit/nn";
import {
  calibrate,
  convert,
  defaultPerChannelQatQConfig,
  defaultPerChannelQConfig,
  defaultQConfig,
  prepare,
  type QuantizedModel,
} from "@quantkit/ptq";
import { disableObserver, prepareQat } from "@quantkit/qat";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import {
  DataType,
  type InferenceSession,
  makeValueInfo,
  ortEngine,
  readModel,
  writeModel,
} from "../src/index";
import { exportQuantizedModel, importSequential } from "../src/nn";
import { argmaxRows, batchesOf, smallCnn } from "../test/_nnModels";
import { FASHION_MNIST, FIXTURES } from "../test/_realFixtures";
import { arg } from "./_args";
import { readFashion } from "./_fashion";

const STEPS = Number(arg("steps", "300"));
const PARTS = arg("parts", "export,import").split(",");
ortWeb.env.wasm.numThreads = 1;
const engines = {
  "ort-node basic": ortEngine(ortNode, {
    sessionOptions: { intraOpNumThreads: 1, graphOptimizationLevel: "basic" },
  }),
  "ort-node all": ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1 } }),
  "ort-web wasm": ortEngine(ortWeb, { sessionOptions: { executionProviders: ["wasm"] } }),
};

async function run(session: InferenceSession, x: Float32Array, perSample: number[], batch = 1000) {
  const size = perSample.reduce((a, b) => a * b, 1);
  const n = x.length / size;
  const out: Record<string, Float32Array[]> = {};
  for (let s = 0; s < n; s += batch) {
    const b = Math.min(batch, n - s);
    const r = await session.run({
      [session.inputNames[0]!]: {
        type: "float32",
        data: x.subarray(s * size, (s + b) * size),
        dims: [b, ...perSample],
      },
    });
    for (const [k, v] of Object.entries(r)) (out[k] ??= []).push(v.data as Float32Array);
  }
  const cat = (parts: Float32Array[]) => {
    const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return all;
  };
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, cat(v)]));
}

/** ptq vs onnxruntime on `x`: predictions, logits (in output steps), and codes layer by layer (ORT float path). */
async function compareExport(label: string, q: QuantizedModel, x: Float32Array) {
  const n = x.length / q.inputSize;
  const t0 = performance.now();
  const onnx = exportQuantizedModel(q);
  const exportMs = performance.now() - t0;
  const bytes = writeModel(onnx);
  const ours = q.forward(x, n).data;
  const pred = argmaxRows(ours, q.outputSize);
  for (const [name, engine] of Object.entries(engines)) {
    const y = (await run(await engine.createSession(bytes), x, [...q.inputShape])).logits!;
    const p = argmaxRows(y, q.outputSize);
    let differ = 0;
    for (let i = 0; i < n; i++) if (p[i] !== pred[i]) differ++;
    let steps = 0;
    let logits = 0;
    for (let i = 0; i < y.length; i++) {
      const s = Math.abs(y[i]! - ours[i]!) / q.output.scale;
      steps = Math.max(steps, s);
      if (s > 1e-3) logits++;
    }
    console.log(
      `| ${label} | ${name} | ${n - differ} / ${n} (${differ} differ) | ${logits} of ${y.length} (${((100 * logits) / y.length).toFixed(2)}%) | ${steps.toFixed(3)} |`,
    );
  }
  // Where the codes first differ: every layer's codes as extra outputs (float path), against ptq's trace.
  const traced = exportQuantizedModel(q);
  const g = traced.graph!;
  const lastOutput = (prefix: string) => g.node.filter((nd) => nd.name.startsWith(prefix)).at(-1)!.output[0]!;
  const layerCodes = q.layers.map((l) => lastOutput(`${l.name}.output/`));
  const quantOut = lastOutput("quant/");
  for (const name of [quantOut, ...layerCodes]) g.output.push(makeValueInfo(name, DataType.UINT8));
  const session = await engines["ort-node basic"].createSession(writeModel(traced));
  const sample = x.subarray(0, Math.min(n, 2000) * q.inputSize);
  const m = sample.length / q.inputSize;
  const outs = await run(session, sample, [...q.inputShape]);
  const trace = q.trace(sample, m);
  const row = [quantOut, ...layerCodes].map((name, i) => {
    const a = outs[name] as unknown as Uint8Array;
    const b = trace[i]!.codes;
    let d = 0;
    let maxd = 0;
    for (let j = 0; j < b.length; j++) {
      const e = Math.abs(a[j]! - b[j]!);
      if (e > 0) d++;
      maxd = Math.max(maxd, e);
    }
    return `${trace[i]!.name} ${d}/${b.length}${maxd > 1 ? ` (max ${maxd})` : ""}`;
  });
  console.log(
    `  ${label}: ${bytes.length} bytes, exported in ${exportMs.toFixed(0)} ms; codes differing (first ${m} samples, ort-node basic): ${row.join(", ")}`,
  );
}

async function trainFloat(
  model: Module,
  x: Float32Array,
  y: ArrayLike<number>,
  shape: number[],
  lr: number,
  batch: number,
) {
  await fit(model, batchesOf(x, y, shape, batch), {
    optimizer: new Adam(model.parameters(), { lr }),
    epochs: 1,
  });
  model.eval();
  return model;
}

console.log(
  `CPU: ${cpus()[0]?.model} x ${cpus().length} (load ${loadavg()[0]!.toFixed(1)}); Node ${process.version}; onnxruntime-node and -web one thread`,
);

if (PARTS.includes("export")) {
  const split = await loadBundledMnist();
  const train = shuffleDataset(normalize(split.train), 0);
  const all = new Float32Array(split.train.images.length + split.test.images.length);
  all.set(normalize(split.train).images);
  all.set(normalize(split.test).images, split.train.images.length);
  const calib = async (m: Module, qc: typeof defaultQConfig, shape: number[]) => {
    const p = prepare(m, qc);
    await calibrate(p, batchesOf(train.images, train.labels, shape, 100), { maxBatches: 10 });
    return convert(p);
  };
  const mlp = await trainFloat(
    createMlp([784, 100, 100, 10], { seed: 0 }),
    train.images,
    train.labels,
    [784],
    1e-3,
    10,
  );
  const qatMlp = prepareQat(mlp);
  await fit(qatMlp, batchesOf(train.images, train.labels, [784], 10), {
    optimizer: new Adam(qatMlp.parameters(), { lr: 1e-4 }),
  });
  disableObserver(qatMlp);
  qatMlp.eval();
  const cnn = await trainFloat(smallCnn(), train.images, train.labels, [1, 28, 28], 2e-3, 20);
  console.log(
    "\n| model | engine | argmax equal to ptq's | logits differing | max |difference| in output steps |",
  );
  console.log("|---|---|---|---|---|");
  await compareExport("seed MLP, PTQ (default qconfig)", await calib(mlp, defaultQConfig, [784]), all);
  await compareExport("seed MLP, QAT fine-tune", convert(qatMlp, { inputShape: [784] }), all);
  await compareExport("CNN, PTQ per channel", await calib(cnn, defaultPerChannelQConfig, [1, 28, 28]), all);
}

if (PARTS.includes("import") && existsSync(FASHION_MNIST)) {
  const dir = join(FIXTURES, "fashion-cnn");
  const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8"));
  const bytes = readFileSync(join(dir, "model.onnx"));
  const { mean, std } = ref.normalisation;
  const train = readFashion(FASHION_MNIST, "train", mean, std);
  const test = readFashion(FASHION_MNIST, "t10k", mean, std);
  const accuracy = (p: Int32Array) => p.filter((c, i) => c === test.labels[i]).length / test.n;
  let t0 = performance.now();
  const model = importSequential(readModel(bytes));
  const importMs = performance.now() - t0;
  const fromOrt = (await run(await engines["ort-node basic"].createSession(bytes), test.x, [1, 28, 28]))
    .logits!;
  const ours = model.forward(test.x, [test.n, 1, 28, 28]).data;
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - fromOrt[i]!));
  const fp32 = accuracy(argmaxRows(ours, 10));
  console.log(
    `\nFashion-MNIST CNN fixture: imported in ${importMs.toFixed(0)} ms; nn vs onnxruntime-node logits on 10,000 test images: max |difference| ${maxDiff.toExponential(2)}; fp32 accuracy ${(100 * fp32).toFixed(2)}% (reference.json ${(100 * ref.fp32Accuracy).toFixed(2)}%)`,
  );
  const ptqModel = prepare(model, defaultPerChannelQConfig);
  await calibrate(ptqModel, batchesOf(train.x, train.labels, [1, 28, 28], 100), { maxBatches: 10 });
  const ptqAcc = accuracy(convert(ptqModel).predict(test.x, test.n));
  const batches: Batch[] = Array.from({ length: STEPS }, (_, i) => ({
    x: train.x.subarray(i * 64 * 784, (i + 1) * 64 * 784),
    y: Array.from(train.labels.subarray(i * 64, (i + 1) * 64)),
    size: 64,
    shape: [64, 1, 28, 28],
  }));
  const qat = prepareQat(model, defaultPerChannelQatQConfig);
  t0 = performance.now();
  await fit(qat, batches, { optimizer: new Adam(qat.parameters(), { lr: 1e-4 }) });
  const qatMs = performance.now() - t0;
  disableObserver(qat);
  qat.eval();
  const q = convert(qat, { inputShape: [1, 28, 28] });
  const pred = q.predict(test.x, test.n);
  // The fair baseline: the same steps in float32 (no fake quantization) from the same weights.
  const float = importSequential(readModel(bytes));
  float.train();
  t0 = performance.now();
  await fit(float, batches, { optimizer: new Adam(float.parameters(), { lr: 1e-4 }) });
  const floatMs = performance.now() - t0;
  float.eval();
  const fp32Tuned = accuracy(argmaxRows(float.forward(test.x, [test.n, 1, 28, 28]).data, 10));
  const onnx = writeModel(exportQuantizedModel(q));
  console.log(
    `ptq per-channel PTQ of the imported model (1,000 calibration images): ${(100 * ptqAcc).toFixed(2)}%; PyTorch static PTQ (x86 qconfig): ${(100 * ref.int8Accuracy).toFixed(2)}%`,
  );
  console.log(
    `QAT ${STEPS} steps x 64 (Adam 1e-4, per-channel QAT qconfig) in ${(qatMs / 1000).toFixed(1)} s -> int8 ${(100 * accuracy(pred)).toFixed(2)}%; the same steps in fp32 (${(floatMs / 1000).toFixed(1)} s) -> ${(100 * fp32Tuned).toFixed(2)}%; exported back: ${onnx.length} bytes`,
  );
  for (const [name, engine] of Object.entries(engines)) {
    const y = (await run(await engine.createSession(onnx), test.x, [1, 28, 28])).logits!;
    const p = argmaxRows(y, 10);
    const differ = p.filter((c, i) => c !== pred[i]).length;
    console.log(
      `  ${name}: argmax equals the integer model's on ${test.n - differ} / ${test.n}; accuracy ${(100 * accuracy(p)).toFixed(2)}%`,
    );
  }
}
