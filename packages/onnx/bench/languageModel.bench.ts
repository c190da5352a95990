// What 4-bit weights cost a language model: perplexity of the tiny-lm fixture on its held-out text for
// fp32, q8, and q4 with RTN / GPTQ / AWQ / HQQ at blocks of 32 and 128; the time and peak memory of
// each quantization; and each method's layer-output MSE against RTN on held-out activations.
//   pnpm --filter @quantkit/onnx exec tsx --conditions=@quantkit/source bench/languageModel.bench.ts [--chars N]
//   [--methods rtn,gptq,awq,hqq] [--parts false] [--layers false]   (a subset: the methods, without AWQ's
//   parts on their own, without the layer level) [--embeddings true]   (each method also with the token
//   embedding quantized: 4-bit GatherBlockQuantized "+emb4", and 8-bit "+emb8")
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import type { ModelProto } from "../src/_gen/onnx_pb";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { ortEngine } from "../src/ortEngine";
import { quantizeDynamic } from "../src/quantizeDynamic";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import type { WeightOnlyMethod } from "../src/quantizeMatMulNBitsOptions";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";
import { layerLevel } from "./_layerLevel";
import { calibrationSamples, encode, klDivergence, perplexity, readTinyLm } from "./_tinyLm";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const chars = Number(arg("--chars") ?? Number.POSITIVE_INFINITY);
const methods = (arg("--methods") ?? "rtn,gptq,awq,hqq").split(",") as WeightOnlyMethod[];
const parts = arg("--parts") !== "false";
const layers = arg("--layers") !== "false";
const embeddings = arg("--embeddings") === "true";

const lm = readTinyLm();
const { context, stride } = lm.reference.evaluation;
const heldout = encode(lm.vocab, [...lm.heldout].slice(0, chars).join(""));
const calibration = encode(lm.vocab, lm.calibration);
const model = readModel(lm.bytes);
const engine = ortEngine(ort);
const samples = calibrationSamples(calibration, 32, lm.reference.maxSequence);

console.log(
  `tiny-lm: ${lm.reference.fp32Perplexity} reference fp32 perplexity; ${heldout.length} held-out chars`,
);
console.log(`CPU: ${cpus()[0]?.model} (${cpus().length} cores); onnxruntime-node, 1 thread`);

const t0 = performance.now();
const activations = await collectMatMulInputs(model, { engine, samples });
const collectMs = performance.now() - t0;
console.log(
  `collectMatMulInputs: ${activations.size} inputs, 32 samples x 128 tokens, ${collectMs.toFixed(0)} ms`,
);

interface Row {
  name: string;
  bytes: number;
  ms: number;
  ppl: number;
  kl: number;
}
const rows: Row[] = [];
let reference: Float32Array[] = [];
const measure = async (name: string, make: () => ModelProto) => {
  const s = performance.now();
  const m = make();
  const ms = performance.now() - s;
  const bytes = writeModel(m);
  const { perplexity: ppl, logProbs } = await perplexity(bytes, heldout, context, stride);
  if (reference.length === 0) reference = logProbs;
  const kl = klDivergence(reference, logProbs);
  rows.push({ name, bytes: bytes.length, ms, ppl, kl });
  console.log(
    `${name.padEnd(22)} ppl ${ppl.toFixed(4)}  KL ${kl.toExponential(3)}  ${bytes.length.toLocaleString("en-US").padStart(10)} bytes  ${ms.toFixed(0).padStart(6)} ms`,
  );
};

await measure("fp32", () => model);
await measure("q8 (dynamic)", () => quantizeDynamic(model).model);
for (const blockSize of [32, 128]) {
  for (const method of methods) {
    await measure(
      `q4 ${method} b${blockSize}`,
      () => quantizeMatMulNBits(model, { method, blockSize, symmetric: false, activations }).model,
    );
    if (!embeddings) continue;
    // The embedding table too: 4-bit with the MatMuls, or 8-bit first (opTypes Gather only), then the MatMuls.
    await measure(
      `q4 ${method} +emb4 b${blockSize}`,
      () =>
        quantizeMatMulNBits(model, {
          method,
          blockSize,
          symmetric: false,
          activations,
          opTypes: ["MatMul", "Gather"],
        }).model,
    );
    await measure(`q4 ${method} +emb8 b${blockSize}`, () => {
      const e8 = quantizeMatMulNBits(model, { opTypes: ["Gather"], bits: 8, blockSize, symmetric: false });
      return quantizeMatMulNBits(e8.model, { method, blockSize, symmetric: false, activations }).model;
    });
  }
  // AWQ's parts on their own: q / k / v left at s = 1 (inspectModules false), up measured through the
  // MLP too (true), AutoAWQ's duo scaling, and the clip search without any scaling (nGrid 1).
  for (const [label, methodOptions] of parts
    ? ([
        ["awq qkv s=1", { inspectModules: false }],
        ["awq +mlp", { inspectModules: true }],
        ["awq duo", { duoScaling: true }],
        ["awq clip-only", { nGrid: 1 }],
      ] as const)
    : []) {
    await measure(
      `q4 ${label} b${blockSize}`,
      () =>
        quantizeMatMulNBits(model, { method: "awq", blockSize, symmetric: false, activations, methodOptions })
          .model,
    );
  }
}
const fp32 = rows[0]!.ppl;
console.log("\n| model | perplexity | vs fp32 | loss / RTN's | KL / RTN's | bytes | quantize ms |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  const block = r.name.match(/b(\d+)$/)?.[1];
  const rtn = rows.find((x) => x.name === `q4 rtn b${block}`);
  const ratio = rtn && r.name.startsWith("q4") ? ((r.ppl - fp32) / (rtn.ppl - fp32)).toFixed(2) : "-";
  const kl = rtn && r.name.startsWith("q4") ? (r.kl / rtn.kl).toFixed(2) : "-";
  console.log(
    `| ${r.name} | ${r.ppl.toFixed(4)} | ${r.ppl - fp32 >= 0 ? "+" : ""}${(r.ppl - fp32).toFixed(4)} | ${ratio} | ${kl} | ${r.bytes.toLocaleString("en-US")} | ${r.ms.toFixed(0)} |`,
  );
}
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

// Layer level: each MatMul's output error on HELD-OUT activations (rows the methods never saw).
if (layers) {
  const heldoutActivations = await collectMatMulInputs(model, {
    engine,
    samples: calibrationSamples(heldout, 16, lm.reference.maxSequence),
  });
  layerLevel(model, activations, heldoutActivations, { blockSize: 32, symmetric: false });
}
