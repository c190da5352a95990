// AWQ measuring q / k / v's shared scale through the attention block they feed (methodOptions.inspectModules,
// AutoAWQ's module2inspect), on the tiny-lm fixture's real exported graph.

import { Rng } from "@quantkit/tensor";
import { attentionModule, awq, awqScale, mlpModule, packMatMulNBits } from "@quantkit/weights";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { calibrationSamples, encode, readTinyLm } from "../bench/_tinyLm";
import type { ModelProto } from "../src/_gen/onnx_pb";
import { _attr, _node } from "../src/_quantGraph";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { readModel } from "../src/readModel";
import { toFloat32Array } from "../src/toFloat32Array";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

describe("quantizeMatMulNBits awq with inspectModules on the tiny-lm fixture", () => {
  let m: ModelProto;
  let activations: Map<string, Float32Array>;
  const T = 64; // 2 samples of 64 tokens: 128 rows, which the mask (128) would also allow as one sequence
  beforeAll(async () => {
    const lm = readTinyLm();
    m = readModel(lm.bytes);
    activations = await collectMatMulInputs(m, {
      engine: ortEngine(ort),
      samples: calibrationSamples(encode(lm.vocab, lm.calibration), 2, T),
    });
  });
  let result: ReturnType<typeof quantizeMatMulNBits> | undefined;
  /** The model quantized with inspectModules (nGrid 4), once for the tests that read it. */
  const inspected = () => {
    result ??= quantizeMatMulNBits(m, {
      method: "awq",
      activations,
      methodOptions: { nGrid: 4, inspectModules: true },
    });
    return result;
  };
  const init = (model: ModelProto, name: string) =>
    toFloat32Array(model.graph!.initializer.find((t) => t.name === name)!);
  const weightOf = (model: ModelProto, node: string) =>
    init(model, model.graph!.node.find((n) => n.name === node)!.input[1]!);

  it("q / k / v's scale is awqScale through attentionModule (4 heads, the graph's 1/sqrt(32), mask, biases, o), found sequences of 64, folded into ln1", () => {
    const { model: q, report } = inspected();
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    for (let b = 0; b < 4; b++) {
      for (const p of ["q", "k", "v"]) {
        expect(detail(`/blocks.${b}/${p}/MatMul`)).toContain(
          "loss through the attention block (4 heads, sequences of 64, the o projection's output)",
        );
      }
      expect(detail(`/blocks.${b}/q/MatMul`)).toContain("no clip search");
    }
    // Block 0 by hand: the same search on the same rows, with the block written out from the fixture.
    const mask = init(m, "mask"); // [128, 128], -1e4 above the diagonal
    const module = attentionModule({
      heads: 4,
      sequenceLength: T,
      scale: Math.fround(1 / Math.sqrt(32)),
      mask: Float32Array.from({ length: T * T }, (_, i) => mask[Math.floor(i / T) * 128 + (i % T)]!),
      bias: [init(m, "blocks.0.q.bias"), init(m, "blocks.0.k.bias"), init(m, "blocks.0.v.bias")],
      output: { weight: weightOf(m, "/blocks.0/o/MatMul"), shape: [128, 128] },
      layout: "KN",
    });
    const layers = ["q", "k", "v"].map((p) => ({
      weight: weightOf(m, `/blocks.0/${p}/MatMul`),
      shape: [128, 128] as [number, number],
    }));
    const h = activations.get("/blocks.0/ln1/LayerNormalization_output_0")!;
    const found = awqScale(layers, h, { nGrid: 4, symmetric: true, layout: "KN", module });
    expect(found.alpha).toBeGreaterThan(0);
    expect(detail("/blocks.0/q/MatMul")).toContain(
      '1/s folded into LayerNorm "/blocks.0/ln1/LayerNormalization"',
    );
    const ln = q.graph!.node.find((n) => n.name === "/blocks.0/ln1/LayerNormalization")!;
    const gamma = init(m, "blocks.0.ln1.weight");
    expect(init(q, ln.input[1]!)).toEqual(gamma.map((v, k) => v / found.inputScale[k]!));
  });

  it("up's scale is awqScale through mlpModule (the activation found: erf GELU, up's bias, down), folded into ln2; o, down and the head keep their own loss", () => {
    const { model: q, report } = inspected();
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    for (let b = 0; b < 4; b++) {
      expect(detail(`/blocks.${b}/up/MatMul`)).toContain(
        "loss through the MLP block (gelu, the down projection's output)",
      );
      for (const p of ["o", "down"])
        expect(detail(`/blocks.${b}/${p}/MatMul`)).toContain("loss on its own outputs (no MLP block: ");
    }
    expect(detail("/head/MatMul")).toContain("loss on its own outputs (no MLP block: ");
    let scaled = 0;
    for (let b = 0; b < 4; b++) {
      const module = mlpModule({
        activation: "gelu",
        bias: [init(m, `blocks.${b}.up.bias`)],
        output: { weight: weightOf(m, `/blocks.${b}/down/MatMul`), shape: [512, 128] },
        layout: "KN",
      });
      const h = activations.get(`/blocks.${b}/ln2/LayerNormalization_output_0`)!;
      const up = { weight: weightOf(m, `/blocks.${b}/up/MatMul`), shape: [128, 512] as [number, number] };
      const found = awqScale([up], h, { nGrid: 4, symmetric: true, layout: "KN", module });
      const ln = q.graph!.node.find((n) => n.name === `/blocks.${b}/ln2/LayerNormalization`)!;
      const beta = init(m, `blocks.${b}.ln2.bias`);
      expect(init(q, ln.input[2]!)).toEqual(beta.map((v, k) => v / found.inputScale[k]!));
      if (found.alpha > 0) scaled++;
    }
    expect(scaled).toBeGreaterThan(0);
  });

  it('by default (inspectModules "attention") q / k / v go through the attention block, up by its own outputs', () => {
    const { report } = quantizeMatMulNBits(m, { method: "awq", activations, methodOptions: { nGrid: 2 } });
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    expect(detail("/blocks.3/k/MatMul")).toContain(
      "loss through the attention block (4 heads, sequences of 64",
    );
    expect(detail("/blocks.3/up/MatMul")).not.toContain("MLP");
  });

  it("falls back to s = 1 and says why when the block does not reproduce o's input (sequenceLength 32)", () => {
    const { report } = quantizeMatMulNBits(m, {
      method: "awq",
      activations,
      methodOptions: { nGrid: 2, inspectModules: true, sequenceLength: 32 },
    });
    const detail = report.nodes.find((n) => n.name === "/blocks.2/v/MatMul")!.detail;
    expect(detail).toMatch(
      /s = 1 \(the input of attention scores; the matched attention block does not reproduce the o projection's input \(sequence length 32: relative error \d/,
    );
  });
});

describe("quantizeMatMulNBits awq on another attention layout", () => {
  it("q scaled by a Mul before the product, k transposed twice, scores divided by sqrt(d), no mask, v's bias first: matched, sequences of 8 found (16 do not reproduce o's input), the scale is awqScale through attentionModule", async () => {
    const rng = new Rng(7);
    const randn = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal(0, s));
    const [K, H, D, T] = [32, 2, 16, 8];
    const gamma = Float32Array.from({ length: K }, (_, k) => (k % 11 === 3 ? 8 : 1)); // outlier channels
    const beta = randn(K, 0.1);
    const [Wq, Wk, Wv, Wo] = [randn(K * K, 0.2), randn(K * K, 0.2), randn(K * K, 0.2), randn(K * K, 0.2)];
    const [bq, bv] = [randn(K, 0.1), randn(K, 0.1)];
    const ints = (name: string, v: number[]) =>
      fromArray(BigInt64Array.from(v.map(BigInt)), { dims: [v.length], name });
    const floats = (name: string, v: Float32Array, dims: number[]) => fromArray(v, { dims, name });
    const perm = (p: number[]) => [_attr("perm", p)];
    const m = model(
      graph({
        nodes: [
          _node("LayerNormalization", ["x", "gamma", "beta"], ["h"], "ln", [_attr("axis", -1)]),
          _node("MatMul", ["h", "Wq"], ["q0"], "q"),
          _node("Add", ["q0", "bq"], ["q1"], "q_bias"),
          _node("Mul", ["q1", "half"], ["q2"], "q_scale"),
          _node("Reshape", ["q2", "heads"], ["q3"], "q_heads"),
          _node("Transpose", ["q3"], ["q4"], "q_t", perm([0, 2, 1, 3])),
          _node("MatMul", ["h", "Wk"], ["k0"], "k"),
          _node("Reshape", ["k0", "heads"], ["k1"], "k_heads"),
          _node("Transpose", ["k1"], ["k2"], "k_t", perm([0, 2, 1, 3])),
          _node("Transpose", ["k2"], ["k3"], "k_tt", perm([0, 1, 3, 2])),
          _node("MatMul", ["h", "Wv"], ["v0"], "v"),
          _node("Add", ["bv", "v0"], ["v1"], "v_bias"),
          _node("Reshape", ["v1", "heads"], ["v2"], "v_heads"),
          _node("Transpose", ["v2"], ["v3"], "v_t", perm([0, 2, 1, 3])),
          _node("MatMul", ["q4", "k3"], ["s0"], "scores"),
          _node("Div", ["s0", "sqrt_d"], ["s1"], "scores_scale"),
          _node("Softmax", ["s1"], ["p"], "softmax", [_attr("axis", -1)]),
          _node("MatMul", ["p", "v3"], ["a0"], "attend"),
          _node("Transpose", ["a0"], ["a1"], "a_t", perm([0, 2, 1, 3])),
          _node("Reshape", ["a1", "merged"], ["a2"], "a_merge"),
          _node("MatMul", ["a2", "Wo"], ["y"], "o"),
        ],
        inputs: [tensorInfo("x", 1, [1, T, K])],
        outputs: [tensorInfo("y", 1)],
        initializers: [
          floats("gamma", gamma, [K]),
          floats("beta", beta, [K]),
          floats("Wq", Wq, [K, K]),
          floats("Wk", Wk, [K, K]),
          floats("Wv", Wv, [K, K]),
          floats("Wo", Wo, [K, K]),
          floats("bq", bq, [K]),
          floats("bv", bv, [K]),
          floats("half", Float32Array.of(0.5), []),
          floats("sqrt_d", Float32Array.of(Math.sqrt(D)), []),
          ints("heads", [0, 0, H, D]),
          ints("merged", [0, 0, H * D]),
        ],
      }),
      17,
    );
    const samples = [0, 1].map(() => ({
      x: { type: "float32" as const, data: randn(T * K, 1), dims: [1, T, K] },
    }));
    const activations = await collectMatMulInputs(m, { engine: ortEngine(ort), samples });
    const { model: q, report } = quantizeMatMulNBits(m, { method: "awq", activations });
    const detail = report.nodes.find((n) => n.name === "k")!.detail;
    expect(detail).toContain(
      "loss through the attention block (2 heads, sequences of 8, the o projection's output)",
    );
    const module = attentionModule({
      heads: H,
      sequenceLength: T,
      scale: 0.5 * (1 / Math.fround(Math.sqrt(D))),
      bias: [bq, undefined, bv],
      output: { weight: Wo, shape: [K, K] },
      layout: "KN",
    });
    const layers = [Wq, Wk, Wv].map((weight) => ({ weight, shape: [K, K] as [number, number] }));
    const found = awqScale(layers, activations.get("h")!, { symmetric: true, layout: "KN", module });
    expect(found.alpha).toBeGreaterThan(0);
    expect(detail).toContain('1/s folded into LayerNorm "ln"');
    const ln = q.graph!.node.find((n) => n.name === "ln")!;
    expect(init(q, ln.input[1]!)).toEqual(gamma.map((v, k) => v / found.inputScale[k]!));
  });
});

describe("quantizeMatMulNBits awq: o's scale folded into v (AutoAWQ's v -> o)", () => {
  const [K, H, D, T] = [64, 4, 16, 16];
  const rng = new Rng(11);
  const randn = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal(0, s));
  // v's columns 5, 22, 39 and 56 are 10x the rest: o's input has outlier channels, so its scale is not 1.
  const Wv = randn(K * K, 0.2).map((w, i) => ((i % K) % 17 === 5 ? w * 10 : w));
  const [Wq, Wk, Wo, bv] = [randn(K * K, 0.2), randn(K * K, 0.2), randn(K * K, 0.2), randn(K, 0.1)];
  const perm = (p: number[]) => [_attr("perm", p)];
  const build = (oInputIsOutput: boolean) =>
    model(
      graph({
        nodes: [
          _node("MatMul", ["x", "Wq"], ["q0"], "q"),
          _node("Reshape", ["q0", "heads"], ["q1"], "q_heads"),
          _node("Transpose", ["q1"], ["q2"], "q_t", perm([0, 2, 1, 3])),
          _node("MatMul", ["x", "Wk"], ["k0"], "k"),
          _node("Reshape", ["k0", "heads"], ["k1"], "k_heads"),
          _node("Transpose", ["k1"], ["k2"], "k_t", perm([0, 2, 3, 1])),
          _node("MatMul", ["x", "Wv"], ["v0"], "v"),
          _node("Add", ["v0", "bv"], ["v1"], "v_bias"),
          _node("Reshape", ["v1", "heads"], ["v2"], "v_heads"),
          _node("Transpose", ["v2"], ["v3"], "v_t", perm([0, 2, 1, 3])),
          _node("MatMul", ["q2", "k2"], ["s0"], "scores"),
          _node("Mul", ["s0", "inv_sqrt_d"], ["s1"], "scores_scale"),
          _node("Softmax", ["s1"], ["p"], "softmax", [_attr("axis", -1)]),
          _node("MatMul", ["p", "v3"], ["a0"], "attend"),
          _node("Transpose", ["a0"], ["a1"], "a_t", perm([0, 2, 1, 3])),
          _node("Reshape", ["a1", "merged"], ["a2"], "a_merge"),
          _node("MatMul", ["a2", "Wo"], ["y"], "o"),
        ],
        inputs: [tensorInfo("x", 1, [1, T, K])],
        outputs: [tensorInfo("y", 1), ...(oInputIsOutput ? [tensorInfo("a2", 1)] : [])],
        initializers: [
          fromArray(Wq, { dims: [K, K], name: "Wq" }),
          fromArray(Wk, { dims: [K, K], name: "Wk" }),
          fromArray(Wv, { dims: [K, K], name: "Wv" }),
          fromArray(Wo, { dims: [K, K], name: "Wo" }),
          fromArray(bv, { dims: [K], name: "bv" }),
          fromArray(Float32Array.of(1 / Math.sqrt(D)), { dims: [], name: "inv_sqrt_d" }),
          fromArray(BigInt64Array.of(0n, 0n, BigInt(H), BigInt(D)), { dims: [4], name: "heads" }),
          fromArray(BigInt64Array.of(0n, 0n, BigInt(K)), { dims: [3], name: "merged" }),
        ],
      }),
      17,
    );
  const samples = [0, 1, 2].map(() => ({
    x: { type: "float32" as const, data: randn(T * K, 1), dims: [1, T, K] },
  }));
  /** MatMulNBits' B codes and scales. */
  const packed = (m: ModelProto, node: string) => {
    const n = m.graph!.node.find((x) => x.name === node)!;
    return {
      B: m.graph!.initializer.find((t) => t.name === n.input[1])!.rawData,
      scales: init(m, n.input[2]!),
    };
  };
  const expected = (q: Parameters<typeof packMatMulNBits>[0]) => {
    const p = packMatMulNBits(q);
    return { B: p.B.data, scales: p.scales.data };
  };

  it("o reads v's output directly: v's columns and bias carry 1/s, o's B is what a Mul before it would give, and onnxruntime's output stays close to the float model's", async () => {
    const m = build(false);
    const activations = await collectMatMulInputs(m, { engine: ortEngine(ort), samples });
    const { model: q, report } = quantizeMatMulNBits(m, { method: "awq", activations, blockSize: 32 });
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    expect(detail("o")).toContain(`1/s folded into v "v"'s output columns and bias (AutoAWQ's v -> o)`);
    expect(detail("v")).toContain("output columns divided by the o projection's input scale");
    // q / k / v's 1/s is a Mul on x (no LayerNorm makes it); none before o.
    expect(q.graph!.node.filter((n) => n.opType === "Mul").map((n) => n.input[0])).toEqual(["x", "s0"]);
    expect(q.graph!.node.find((n) => n.name === "o_Q4")!.input[0]).toBe("a2");

    // The slow way: o's scale by its own outputs, v's B quantized with its columns divided by it.
    const block = { bits: 4 as const, blockSize: 32, symmetric: true, layout: "KN" as const };
    const s = awqScale([{ weight: Wo, shape: [K, K] }], activations.get("a2")!, block).inputScale;
    expect(s.some((v) => v !== 1)).toBe(true);
    const biasAdd = q.graph!.node.find((n) => n.name === "v_bias")!;
    expect(init(q, biasAdd.input[1]!)).toEqual(bv.map((b, n) => b / s[n]!));
    expect(q.graph!.initializer.some((t) => t.name === "bv")).toBe(false);
    const qkv = report.nodes.find((n) => n.name === "q")!.detail;
    expect(qkv).toContain("loss through the attention block");
    const x = activations.get("x")!;
    const inputScale = awqScale(
      [Wq, Wk, Wv].map((weight) => ({ weight, shape: [K, K] as [number, number] })),
      x,
      {
        ...block,
        module: attentionModule({
          heads: H,
          sequenceLength: T,
          scale: Math.fround(1 / Math.sqrt(D)),
          bias: [undefined, undefined, bv],
          output: { weight: Wo, shape: [K, K] },
          layout: "KN",
        }),
      },
    ).inputScale;
    const vCols = Wv.map((w, i) => w / s[i % K]!);
    const v = awq(vCols, [K, K], x, { ...block, inputScale });
    expect(packed(q, "v_Q4")).toEqual(expected(v));
    const o = awq(Wo, [K, K], activations.get("a2")!, { ...block, inputScale: s });
    expect(packed(q, "o_Q4")).toEqual(expected(o));

    // Run both: the quantized model's output against the float model's.
    const engine = ortEngine(ort);
    const [fs, qs] = [await engine.createSession(writeModel(m)), await engine.createSession(writeModel(q))];
    let [err, ref] = [0, 0];
    for (const feed of samples) {
      const a = (await fs.run(feed)).y!.data as Float32Array;
      const b = (await qs.run(feed)).y!.data as Float32Array;
      for (let i = 0; i < a.length; i++) [err, ref] = [err + (a[i]! - b[i]!) ** 2, ref + a[i]! ** 2];
    }
    expect(10 * Math.log10(ref / err)).toBeGreaterThan(15);
  });

  it("o's input is also a graph output: nothing folds into v, o reads a Mul by 1/s", async () => {
    const m = build(true);
    const activations = await collectMatMulInputs(m, { engine: ortEngine(ort), samples });
    const { model: q, report } = quantizeMatMulNBits(m, { method: "awq", activations, blockSize: 32 });
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    expect(detail("o")).toContain("input scaled by 1/s (a Mul)");
    expect(detail("v")).not.toContain("output columns divided");
    expect(init(q, q.graph!.node.find((n) => n.name === "v_bias")!.input[1]!)).toEqual(bv);
  });
});

function init(model: ModelProto, name: string): Float32Array {
  return toFloat32Array(model.graph!.initializer.find((t) => t.name === name)!);
}
