// AWQ at the block level on the tiny-lm fixture: for each transformer block, the output MSE of the
// attention block (q, k, v quantized; o float) and of the MLP block (up quantized; down float) on HELD-OUT
// activations, relative to RTN: AWQ's scale searched by the group's own outputs, or through the block it
// feeds (inspectModules, AutoAWQ's module2inspect), each followed by the clip search where AWQ clips.
//   pnpm --filter @quantkit/onnx exec tsx --conditions=@quantkit/source bench/awqBlocks.bench.ts
import { attentionModule, awq, awqScale, mlpModule, quantizeBlockwise } from "@quantkit/weights";
import * as ort from "onnxruntime-node";
import { _matchAttention } from "../src/_attentionBlock";
import type { NodeProto } from "../src/_gen/onnx_pb";
import { _findConstant, _scopes } from "../src/_quantGraph";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { consumers } from "../src/consumers";
import { ortEngine } from "../src/ortEngine";
import { producers } from "../src/producers";
import { readModel } from "../src/readModel";
import { toFloat32Array } from "../src/toFloat32Array";
import { calibrationSamples, encode, readTinyLm } from "./_tinyLm";

const lm = readTinyLm();
const model = readModel(lm.bytes);
const engine = ortEngine(ort);
const T = lm.reference.maxSequence;
const calibration = await collectMatMulInputs(model, {
  engine,
  samples: calibrationSamples(encode(lm.vocab, lm.calibration), 32, T),
});
const heldout = await collectMatMulInputs(model, {
  engine,
  samples: calibrationSamples(encode(lm.vocab, lm.heldout), 16, T),
});
const scope = _scopes(model)[0]!;
const made = producers(scope.graph);
const reads = consumers(scope.graph);
const node = (name: string) => scope.graph.node.find((n) => n.name === name)!;
const weight = (n: NodeProto) => toFloat32Array(_findConstant(scope, n.input[1]!)!.tensor);
const init = (name: string) => toFloat32Array(_findConstant(scope, name)!.tensor);
const blocks = [
  ...new Set(scope.graph.node.map((n) => n.name.match(/^\/blocks\.(\d+)\//)?.[1]).filter(Boolean)),
];

console.log(
  "Held-out block-output MSE relative to RTN (W4, asymmetric); s: the scale's loss; +clip: AWQ's clip search",
);
console.log(
  "| block size | block | attention: s = 1 (inspectModules false) | own outputs | through attention (default) | MLP: own outputs (default) | through the MLP (true) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const blockSize of [32, 128]) {
  const sums = [0, 0, 0, 0, 0];
  for (const b of blocks) {
    const opts = { blockSize, layout: "KN" as const };
    // Attention: q, k, v read ln1; the module is matched in the graph as quantizeMatMulNBits does.
    const a = `/blocks.${b}/ln1/LayerNormalization_output_0`;
    const members = scope.graph.node.filter((n) => n.opType === "MatMul" && n.input[0] === a);
    const block = _matchAttention(members, scope, made, reads, 17);
    if (typeof block === "string") throw new Error(`block ${b}: ${block}`);
    const mask = block.mask!(T) as Float32Array;
    const attention = attentionModule({
      heads: block.heads,
      sequenceLength: T,
      scale: block.scale,
      bias: block.bias,
      mask,
      layout: "KN",
      output: { weight: block.output.weight, shape: block.output.shape },
    });
    const qkv = block.qkv.map((n) => ({ weight: weight(n), shape: [128, 128] as [number, number] }));
    const x = calibration.get(a)!;
    const xh = heldout.get(a)!;
    const ref = attention.forward(
      xh,
      xh.length / 128,
      qkv.map((l) => l.weight),
    );
    const attMse = (ws: Float32Array[]) => mse(attention.forward(xh, xh.length / 128, ws), ref);
    // AWQ clips v, not q and k (AutoAWQ's avoid_clipping).
    const awqQkv = (s: Float32Array) =>
      qkv.map(
        (l, i) => awq(l.weight, l.shape, x, { ...opts, inputScale: s, clip: i === 2 }).equivalentWeight,
      );
    const rtnAtt = attMse(qkv.map((l) => quantizeBlockwise(l.weight, l.shape, opts).dequantized));
    const ones = new Float32Array(128).fill(1);
    const own = awqScale(qkv, x, opts).inputScale;
    const through = awqScale(qkv, x, { ...opts, module: attention }).inputScale;
    const att = [ones, own, through].map((s) => attMse(awqQkv(s)) / rtnAtt);
    // MLP: up reads ln2; down float.
    const up = node(`/blocks.${b}/up/MatMul`);
    const down = node(`/blocks.${b}/down/MatMul`);
    const mlp = mlpModule({
      activation: "gelu",
      bias: [init(`blocks.${b}.up.bias`)],
      output: { weight: weight(down), shape: [512, 128] },
      layout: "KN",
    });
    const u = [{ weight: weight(up), shape: [128, 512] as [number, number] }];
    const x2 = calibration.get(up.input[0]!)!;
    const xh2 = heldout.get(up.input[0]!)!;
    const ref2 = mlp.forward(xh2, xh2.length / 128, [u[0]!.weight]);
    const mlpMse = (w: Float32Array) => mse(mlp.forward(xh2, xh2.length / 128, [w]), ref2);
    const rtnMlp = mlpMse(quantizeBlockwise(u[0]!.weight, u[0]!.shape, opts).dequantized);
    const mlpOwn = mlpMse(awq(u[0]!.weight, u[0]!.shape, x2, opts).equivalentWeight) / rtnMlp;
    const s2 = awqScale(u, x2, { ...opts, module: mlp }).inputScale;
    const mlpThrough =
      mlpMse(awq(u[0]!.weight, u[0]!.shape, x2, { ...opts, inputScale: s2 }).equivalentWeight) / rtnMlp;
    const row = [...att, mlpOwn, mlpThrough];
    row.forEach((v, i) => {
      sums[i]! += v / blocks.length;
    });
    console.log(`| ${blockSize} | ${b} | ${row.map((v) => v.toFixed(3)).join(" | ")} |`);
  }
  console.log(`| ${blockSize} | mean | ${sums.map((v) => v.toFixed(3)).join(" | ")} |`);
}

function mse(y: Float64Array, ref: Float64Array): number {
  let e = 0;
  for (let i = 0; i < y.length; i++) e += (y[i]! - ref[i]!) ** 2;
  return e / y.length;
}
