import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import { awq, awqScale, dequantizeBlockwise, hqq, quantizeBlockwise } from "@quantkit/weights";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { calibrationSamples, encode, readTinyLm } from "../bench/_tinyLm";
import { _attr, _node } from "../src/_quantGraph";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { readModel } from "../src/readModel";
import { toFloat32Array } from "../src/toFloat32Array";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";
import { graph, model, tensorInfo } from "./_models";

const rng = new Rng(17);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

/** x [n, 64] -> MatMul(W1 [64, 48], initializer) -> Relu -> MatMul(W2 [48, 16], Constant node) -> y. */
function twoLayers(opset = 17) {
  const W1 = randn(64 * 48, 0.3);
  const W2 = randn(48 * 16, 0.4);
  const m = model(
    graph({
      nodes: [
        _node("MatMul", ["x", "W1"], ["h"], "fc1"),
        _node("Relu", ["h"], ["r"], "relu"),
        _node("Constant", [], ["W2"], "W2_const", [
          _attr("value", fromArray(W2, { dims: [48, 16], name: "W2" })),
        ]),
        _node("MatMul", ["r", "W2"], ["y"], "fc2"),
      ],
      inputs: [tensorInfo("x", 1, ["n", 64])],
      outputs: [tensorInfo("y", 1)],
      initializers: [fromArray(W1, { dims: [64, 48], name: "W1" })],
    }),
    opset,
  );
  return { m, W1, W2 };
}

/** y = x W in float64 (x [rows, K], W [K, N] row-major), rounded to float32. */
function matmul(x: Float32Array, W: Float32Array, K: number, N: number): Float32Array {
  const rows = x.length / K;
  const y = new Float32Array(rows * N);
  for (let r = 0; r < rows; r++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[r * K + k]! * W[k * N + n]!;
      y[r * N + n] = s;
    }
  return y;
}

/**
 * Runs the model's y for x [rows, 64]. Graph optimizations off: onnxruntime otherwise fuses a blocked
 * DequantizeLinear + MatMul into MatMulNBits with accuracy level 4 (`session.qdq_matmulnbits_accuracy_level`),
 * which quantizes A to int8 and so differs from the float reference by about 0.5%.
 */
async function run(bytes: Uint8Array, x: Float32Array, rows: number) {
  const s = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: "disabled",
  });
  const out = await s.run({ x: new ort.Tensor("float32", x, [rows, 64]) });
  await s.release();
  return out.y!.data as Float32Array;
}

function expectClose(got: Float32Array, want: Float32Array, rel = 1e-5) {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(got.length).toBe(want.length);
  expect(worst).toBeLessThanOrEqual(rel * scale);
}

/** The same two layers with the weights each method stands for, computed in JS. */
function reference(x: Float32Array, W1: Float32Array, W2: Float32Array) {
  const h = matmul(x, W1, 64, 48).map((v) => Math.max(v, 0));
  return matmul(h, W2, 48, 16);
}

describe("quantizeMatMulNBits(model, options)", () => {
  const rows = 5;
  const x = randn(rows * 64);

  it("rewrites each MatMul with a constant 2-D weight as MatMulNBits, and onnxruntime computes A x dequantized(B)", async () => {
    const { m, W1, W2 } = twoLayers();
    const before = writeModel(m);
    const { model: q, report } = quantizeMatMulNBits(m, { bits: 4, blockSize: 32, symmetric: false });
    expect(writeModel(m)).toEqual(before); // the input model is untouched
    expect(q.graph!.node.map((n) => n.opType)).toEqual(["MatMulNBits", "Relu", "MatMulNBits"]);
    expect(q.graph!.node[0]!.domain).toBe("com.microsoft");
    expect(q.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ["", 17],
      ["com.microsoft", 1],
    ]);
    expect(q.graph!.initializer.some((t) => t.name === "W1")).toBe(false); // the float weight is gone
    expect(report.mode).toBe("q4");
    expect(report.nodes.filter((n) => n.quantized).map((n) => n.name)).toEqual(["fc1", "fc2"]);
    expect(report.nodes.find((n) => n.name === "relu")?.detail).toMatch(/does not quantize Relu/);
    // K = 48 is not a multiple of 32: fc2's second block is short.
    const d1 = quantizeBlockwise(W1, [64, 48], { layout: "KN", blockSize: 32 }).dequantized;
    const d2 = quantizeBlockwise(W2, [48, 16], { layout: "KN", blockSize: 32 }).dequantized;
    expectClose(await run(writeModel(q), x, rows), reference(x, d1, d2));
    // 64*48 + 48*16 float32 weights (15,360 bytes) become 4-bit codes and a scale per 32 weights.
    expect(report.sizeBytesBefore - report.sizeBytesAfter).toBeGreaterThan(15_360 * 0.75);
  });

  it("symmetric blocks (transformers.js's q4, the default) carry no zero-point input", async () => {
    const { m, W1, W2 } = twoLayers();
    const { model: q } = quantizeMatMulNBits(m);
    expect(q.graph!.node[0]!.input).toHaveLength(3);
    const attrs = Object.fromEntries(q.graph!.node[0]!.attribute.map((a) => [a.name, Number(a.i)]));
    expect(attrs).toEqual({ K: 64, N: 48, bits: 4, block_size: 32 });
    const d1 = quantizeBlockwise(W1, [64, 48], { layout: "KN", symmetric: true }).dequantized;
    const d2 = quantizeBlockwise(W2, [48, 16], { layout: "KN", symmetric: true }).dequantized;
    expectClose(await run(writeModel(q), x, rows), reference(x, d1, d2));
  });

  it('format "QDQ" writes an opset-21 blocked DequantizeLinear (int4) before a plain MatMul', async () => {
    const { m, W1, W2 } = twoLayers(21);
    const { model: q } = quantizeMatMulNBits(m, { format: "QDQ", symmetric: true, blockSize: 16 });
    expect(q.graph!.node.map((n) => n.opType)).toEqual([
      "DequantizeLinear",
      "MatMul",
      "Relu",
      "DequantizeLinear",
      "MatMul",
    ]);
    expect(q.graph!.initializer.find((t) => t.name.startsWith("W1_DQ_Q4"))?.dataType).toBe(22); // int4
    const d1 = quantizeBlockwise(W1, [64, 48], { layout: "KN", blockSize: 16, symmetric: true }).dequantized;
    const d2 = quantizeBlockwise(W2, [48, 16], { layout: "KN", blockSize: 16, symmetric: true }).dequantized;
    expectClose(await run(writeModel(q), x, rows), reference(x, d1, d2));
  });

  it("hqq writes float zero points, and onnxruntime computes with them", async () => {
    const { m, W1, W2 } = twoLayers();
    const { model: q, report } = quantizeMatMulNBits(m, { method: "hqq", blockSize: 16 });
    expect(report.nodes[0]!.detail).toMatch(/4-bit hqq, blocks of 16, float zero points/);
    const zp = q.graph!.initializer.find((t) => t.name.startsWith("W1_zero_points"))!;
    expect(zp.dataType).toBe(1);
    const d1 = hqq(W1, [64, 48], { layout: "KN", blockSize: 16 }).dequantized;
    const d2 = hqq(W2, [48, 16], { layout: "KN", blockSize: 16 }).dequantized;
    expectClose(await run(writeModel(q), x, rows), reference(x, d1, d2));
  });

  it("gptq and awq take the MatMul inputs collectMatMulInputs gathers; on correlated inputs both beat rtn", async () => {
    const { m, W1, W2 } = twoLayers();
    // Inputs with a few strong, correlated channels (what makes calibration-aware methods matter).
    const calib = (n: number) => {
      const out = new Float32Array(n * 64);
      for (let r = 0; r < n; r++) {
        const common = (rng.next() - 0.5) * 4;
        for (let k = 0; k < 64; k++)
          out[r * 64 + k] = (k % 8 === 0 ? 6 : 0.5) * (rng.next() - 0.5 + 0.6 * common);
      }
      return out;
    };
    const xs = calib(256);
    const samples = [0, 1, 2, 3].map((i) => ({
      x: { type: "float32", data: xs.subarray(i * 64 * 64, (i + 1) * 64 * 64), dims: [64, 64] },
    }));
    const activations = await collectMatMulInputs(m, { engine: ortEngine(ort), samples });
    expect([...activations.keys()]).toEqual(["x", "r"]);
    expect(activations.get("x")).toEqual(xs);
    expect(activations.get("r")!.length).toBe(256 * 48);

    const want = reference(xs, W1, W2);
    const mse = async (options: Parameters<typeof quantizeMatMulNBits>[1]) => {
      const { model: q } = quantizeMatMulNBits(m, { blockSize: 32, symmetric: false, ...options });
      const s = await ort.InferenceSession.create(writeModel(q), { intraOpNumThreads: 1 });
      const y = (await s.run({ x: new ort.Tensor("float32", xs, [256, 64]) })).y!.data as Float32Array;
      await s.release();
      let e = 0;
      for (let i = 0; i < y.length; i++) e += (y[i]! - want[i]!) ** 2;
      return { e: e / y.length, q };
    };
    const rtn = await mse({});
    const g = await mse({ method: "gptq", activations });
    const a = await mse({ method: "awq", activations });
    expect(g.e).toBeLessThan(rtn.e * 0.9);
    expect(a.e).toBeLessThan(rtn.e);
    // AWQ scales each MatMul's input by 1/s first (x is a graph input, r a Relu's output: Muls).
    expect(a.q.graph!.node.map((n) => n.opType)).toEqual([
      "Mul",
      "MatMulNBits",
      "Relu",
      "Mul",
      "MatMulNBits",
    ]);
  });

  it("keeps float what it cannot quantize and says why", () => {
    const W = randn(64 * 8);
    const m = model(
      graph({
        nodes: [
          _node("MatMul", ["x", "W"], ["y"], "small"),
          _node("MatMul", ["x", "x2"], ["z"], "activations"),
          _node("MatMul", ["x2", "V"], ["v"], "narrow"),
        ],
        inputs: [tensorInfo("x", 1, [1, 64]), tensorInfo("x2", 1, [1, 8])],
        outputs: [tensorInfo("y", 1), tensorInfo("z", 1), tensorInfo("v", 1)],
        initializers: [
          fromArray(W, { dims: [64, 8], name: "W" }),
          fromArray(randn(8 * 4), { dims: [8, 4], name: "V" }),
        ],
      }),
    );
    const { report } = quantizeMatMulNBits(m, { exclude: ["small"] });
    expect(report.nodes.map((n) => [n.name, n.quantized, n.detail])).toEqual([
      ["small", false, "excluded by options.exclude"],
      ["activations", false, 'weight "x2" is not a constant (initializer or Constant node)'],
      ["narrow", false, "K = 8 is smaller than the block size 32: kept float"],
    ]);
  });

  it("rejects bad options, naming the option and the value", () => {
    const { m } = twoLayers();
    expect(() => quantizeMatMulNBits(m, { blockSize: 48 })).toThrow(
      /blockSize must be a power of two in 16\.\.256, got 48/,
    );
    expect(() => quantizeMatMulNBits(m, { bits: 3 as never })).toThrow(/bits must be 2, 4 or 8, got 3/);
    expect(() => quantizeMatMulNBits(m, { method: "gptq" })).toThrow(
      /method "gptq" needs calibration inputs/,
    );
    expect(() => quantizeMatMulNBits(m, { method: "hqq", symmetric: true })).toThrow(
      /"hqq" quantizes asymmetric/,
    );
    expect(() => quantizeMatMulNBits(m, { format: "QDQ" })).toThrow(/needs opset 21.*imports opset 17/);
    expect(() => quantizeMatMulNBits(m, { accuracyLevel: 5 })).toThrow(
      /accuracyLevel must be an integer in 0\.\.4, got 5/,
    );
    expect(() => quantizeMatMulNBits(m, { blocksize: 32 } as never)).toThrow(/unknown option "blocksize"/);
  });
});

describe("quantizeMatMulNBits on the PP-OCRv4 recogniser", () => {
  it("turns its MatMuls into MatMulNBits; onnxruntime runs it and reads the same characters on most time steps", async () => {
    const bytes = new Uint8Array(readFileSync(MODELS.ocrRec));
    const float = readModel(bytes);
    const { model: q, report } = quantizeMatMulNBits(float, { blockSize: 32 });
    // 13 MatMuls: 9 with constant weights; the 4 of attention multiply two activations.
    const matmuls = report.nodes.filter((n) => n.opType === "MatMul");
    expect(matmuls).toHaveLength(13);
    expect(matmuls.filter((n) => n.quantized)).toHaveLength(9);
    for (const n of matmuls.filter((n) => !n.quantized)) expect(n.detail).toMatch(/is not a constant/);
    for (const n of matmuls.filter((n) => n.quantized)) expect(n.detail).toMatch(/weight SQNR 2\d\.\d dB$/);
    // Most of the recogniser's 10.8 MB is convolution weights: the MatMuls' 4-bit weights save 3.4 MB.
    expect(report.sizeBytesBefore - report.sizeBytesAfter).toBeGreaterThan(3_000_000);
    const input = new Float32Array(3 * 48 * 320).map(() => rng.next() * 2 - 1);
    const outputs = async (b: Uint8Array) => {
      const s = await ort.InferenceSession.create(b, { intraOpNumThreads: 1 });
      const feeds = { [s.inputNames[0]!]: new ort.Tensor("float32", input, [1, 3, 48, 320]) };
      const t = (await s.run(feeds))[s.outputNames[0]!]!;
      await s.release();
      return { data: t.data as Float32Array, dims: t.dims };
    };
    const f = await outputs(bytes);
    const g = await outputs(writeModel(q));
    expect(g.dims).toEqual(f.dims);
    const [, steps, classes] = f.dims as number[];
    let same = 0;
    const argmax = (d: Float32Array, t: number) => {
      let best = 0;
      for (let c = 1; c < classes!; c++) if (d[t * classes! + c]! > d[t * classes! + best]!) best = c;
      return best;
    };
    for (let t = 0; t < steps!; t++) if (argmax(f.data, t) === argmax(g.data, t)) same++;
    expect(same / steps!).toBeGreaterThanOrEqual(0.9);
  });
});

describe("dequantizeBlockwise agrees with what MatMulNBits was given", () => {
  it("the packed initializers read back to the weights the JS reference used", () => {
    const { m, W1 } = twoLayers();
    const q = quantizeBlockwise(W1, [64, 48], { layout: "KN", blockSize: 32 });
    expect(dequantizeBlockwise(q, "KN")).toEqual(q.dequantized);
    const { model: out } = quantizeMatMulNBits(m, { blockSize: 32, symmetric: false });
    const scales = toFloat32Array(out.graph!.initializer.find((t) => t.name === "W1_scales")!);
    expect(scales).toEqual(q.scales);
  });
});

describe("quantizeMatMulNBits with AWQ across a graph", () => {
  it("MatMuls that read one LayerNorm share one scale s, folded into its weight and bias (no Mul); onnxruntime computes x -> LN / s -> dequantized codes", async () => {
    const K = 64;
    const gamma = randn(K, 1).map((v) => 1 + v / 2);
    const beta = randn(K, 0.2);
    const Wa = randn(K * 32, 0.3);
    const Wb = randn(K * 16, 0.3);
    const m = model(
      graph({
        nodes: [
          _node("LayerNormalization", ["x", "gamma", "beta"], ["h"], "ln"),
          _node("MatMul", ["h", "Wa"], ["ya"], "a"),
          _node("MatMul", ["h", "Wb"], ["yb"], "b"),
        ],
        inputs: [tensorInfo("x", 1, ["n", K])],
        outputs: [tensorInfo("ya", 1), tensorInfo("yb", 1)],
        initializers: [
          fromArray(gamma, { dims: [K], name: "gamma" }),
          fromArray(beta, { dims: [K], name: "beta" }),
          fromArray(Wa, { dims: [K, 32], name: "Wa" }),
          fromArray(Wb, { dims: [K, 16], name: "Wb" }),
        ],
      }),
      17,
    );
    // A few input channels 8x larger than the rest: the scale search keeps alpha > 0.
    const xs = randn(256 * K).map((v, i) => (i % K < 4 ? 8 * v : v));
    const samples = [0, 1].map((i) => ({
      x: { type: "float32", data: xs.subarray(i * 128 * K, (i + 1) * 128 * K), dims: [128, K] },
    }));
    const activations = await collectMatMulInputs(m, { engine: ortEngine(ort), samples });
    const h = activations.get("h")!;
    const { model: q, report } = quantizeMatMulNBits(m, { method: "awq", symmetric: false, activations });
    const g = q.graph!;
    expect(g.node.map((n) => n.opType)).toEqual(["LayerNormalization", "MatMulNBits", "MatMulNBits"]);
    expect(report.nodes[1]!.detail).toContain('1/s folded into LayerNorm "ln", shared by 2 MatMuls');
    const options = { layout: "KN", symmetric: false } as const;
    const found = awqScale(
      [
        { weight: Wa, shape: [K, 32] },
        { weight: Wb, shape: [K, 16] },
      ],
      h,
      options,
    );
    expect(found.alpha).toBeGreaterThan(0);
    const s = found.inputScale;
    const init = (name: string) => toFloat32Array(g.initializer.find((t) => t.name === name)!);
    const ln = g.node[0]!;
    expect(init(ln.input[1]!)).toEqual(gamma.map((v, k) => v / s[k]!));
    expect(init(ln.input[2]!)).toEqual(beta.map((v, k) => v / s[k]!));
    expect(g.initializer.map((t) => t.name)).not.toContain("gamma"); // replaced, and dropped
    const session = await ort.InferenceSession.create(writeModel(q), { intraOpNumThreads: 1 });
    const out = await session.run({ x: new ort.Tensor("float32", xs, [256, K]) });
    await session.release();
    for (const [y, W, N] of [
      ["ya", Wa, 32],
      ["yb", Wb, 16],
    ] as const) {
      const want = matmul(h, awq(W, [K, N], h, { ...options, inputScale: s }).equivalentWeight, K, N);
      expectClose(out[y]!.data as Float32Array, want, 1e-4);
    }
  });

  it("on the tiny-lm fixture, inspectModules false: q and k are not clipped, q / k / v keep s = 1, up's and the head's 1/s fold into their LayerNorms, o's and down's are Muls", async () => {
    const lm = readTinyLm();
    const m = readModel(lm.bytes);
    const activations = await collectMatMulInputs(m, {
      engine: ortEngine(ort),
      samples: calibrationSamples(encode(lm.vocab, lm.calibration), 2, 64),
    });
    const { model: q, report } = quantizeMatMulNBits(m, {
      method: "awq",
      activations,
      methodOptions: { nGrid: 4, inspectModules: false },
    });
    const detail = (name: string) => report.nodes.find((n) => n.name === name)!.detail;
    const ln = (name: string) => q.graph!.node.find((n) => n.name === name)!;
    let folds = 0;
    let muls = 0;
    for (let b = 0; b <= 4; b++) {
      if (b < 4) {
        for (const p of ["q", "k"])
          expect(detail(`/blocks.${b}/${p}/MatMul`)).toContain(
            "s = 1 (the input of attention scores), no clip search",
          );
        expect(detail(`/blocks.${b}/v/MatMul`)).toMatch(/s = 1 \(the input of attention scores\); weight/);
        for (const p of ["o", "down"]) {
          // alpha 0 (s = 1) needs nothing; else a Mul (their inputs come from Transpose and Gelu)
          expect(detail(`/blocks.${b}/${p}/MatMul`)).toMatch(
            /input scaled by 1\/s \(a Mul\)|s = 1 \(alpha 0\)/,
          );
          if (detail(`/blocks.${b}/${p}/MatMul`).includes("(a Mul)")) muls++;
        }
      }
      // up reads ln2, the head the final ln: 1/s goes into their weight and bias
      const [matmul, norm] =
        b < 4
          ? [`/blocks.${b}/up/MatMul`, `/blocks.${b}/ln2/LayerNormalization`]
          : ["/head/MatMul", "/ln/LayerNormalization"];
      expect(detail(matmul)).toMatch(new RegExp(`1/s folded into LayerNorm "${norm}"|s = 1 \\(alpha 0\\)`));
      const folded = detail(matmul).includes("folded");
      expect(
        ln(norm)
          .input.slice(1)
          .every((n) => n.endsWith("_awq")),
      ).toBe(folded);
      if (folded) folds++;
    }
    expect(folds).toBeGreaterThan(2);
    expect(muls).toBeGreaterThan(4);
    const added =
      q.graph!.node.filter((n) => n.opType === "Mul").length -
      m.graph!.node.filter((n) => n.opType === "Mul").length;
    expect(added).toBe(muls);
  });
});
