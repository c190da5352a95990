// quantizeMatMulNBits with opTypes ["MatMul", "Gather"]: embedding tables become
// com.microsoft.GatherBlockQuantized (or a blocked DequantizeLinear along axis 1 feeding the Gather), and
// onnxruntime-node gathers exactly the rows a plain JS dequantize-then-gather gives.
import { Rng } from "@quantkit/tensor";
import { dequantizeBlockwise, hqq, quantizeBlockwise } from "@quantkit/weights";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encode, perplexity, readTinyLm } from "../bench/_tinyLm";
import { _attr, _node } from "../src/_quantGraph";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const rng = new Rng(29);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

const V = 50;
const D = 80; // blocks of 32: 32 + 32 + 16
const N = 24;
const E = randn(V * D, 0.5);
const W = randn(D * N, 0.3);

/** ids [n] -> Gather(E [V, D]) -> h [n, D] -> MatMul(W [D, N]) -> y; h is an output too. */
function embedding(opset = 17) {
  return model(
    graph({
      nodes: [_node("Gather", ["E", "ids"], ["h"], "embed"), _node("MatMul", ["h", "W"], ["y"], "fc")],
      inputs: [tensorInfo("ids", 7, ["n"])],
      outputs: [tensorInfo("h", 1), tensorInfo("y", 1)],
      initializers: [fromArray(E, { dims: [V, D], name: "E" }), fromArray(W, { dims: [D, N], name: "W" })],
    }),
    opset,
  );
}

const ids = [3, 0, 49, 17, 3, 25];

async function run(bytes: Uint8Array) {
  const s = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: "disabled",
  });
  const out = await s.run({
    ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [ids.length]),
  });
  await s.release();
  return { h: out.h!.data as Float32Array, y: out.y!.data as Float32Array };
}

/** Rows `ids` of the table [V, D], then times W [D, N] in float64. */
function reference(table: Float32Array, weight: Float32Array) {
  const h = new Float32Array(ids.length * D);
  ids.forEach((v, i) => {
    h.set(table.subarray(v * D, (v + 1) * D), i * D);
  });
  const y = new Float32Array(ids.length * N);
  for (let r = 0; r < ids.length; r++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += h[r * D + k]! * weight[k * N + n]!;
      y[r * N + n] = s;
    }
  return { h, y };
}

function expectClose(got: Float32Array, want: Float32Array, rel = 1e-5) {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(got.length).toBe(want.length);
  expect(worst).toBeLessThanOrEqual(rel * scale);
}

const both = { opTypes: ["MatMul", "Gather"] as const };

describe('quantizeMatMulNBits with opTypes ["MatMul", "Gather"]: embedding tables', () => {
  for (const format of ["MatMulNBits", "QDQ"] as const) {
    for (const bits of format === "QDQ" ? ([4, 8] as const) : ([2, 4, 8] as const)) {
      for (const symmetric of [true, false]) {
        it(`${format}, ${bits} bits, ${symmetric ? "symmetric" : "asymmetric"}: onnxruntime gathers the dequantized rows exactly`, async () => {
          const m = embedding(format === "QDQ" ? 21 : 17);
          const { model: q, report } = quantizeMatMulNBits(m, {
            ...both,
            format,
            bits,
            symmetric,
            blockSize: 32,
          });
          const types = q.graph!.node.map((n) => n.opType);
          expect(types).toEqual(
            format === "QDQ"
              ? ["DequantizeLinear", "Gather", "DequantizeLinear", "MatMul"]
              : ["GatherBlockQuantized", "MatMulNBits"],
          );
          expect(report.nodes.map((n) => [n.name, n.quantized])).toEqual([
            ["embed", true],
            ["fc", true],
          ]);
          expect(report.nodes[0]!.detail).toContain(
            `${bits}-bit rtn (ONNX Runtime's Gather arithmetic), table [50, 80] in blocks of 32 along D`,
          );
          expect(q.graph!.initializer.some((t) => t.name === "E")).toBe(false);
          const table = dequantizeBlockwise(
            quantizeBlockwise(E, [V, D], { bits, blockSize: 32, symmetric, arithmetic: "numpy" }),
          );
          const weight = quantizeBlockwise(W, [D, N], {
            bits,
            blockSize: 32,
            symmetric,
            layout: "KN",
          }).dequantized;
          const want = reference(table, weight);
          const got = await run(writeModel(q));
          expect(got.h).toEqual(want.h);
          expectClose(got.y, want.y);
        });
      }
    }
  }

  it("4 bits as ONNX Runtime's quantizer writes them: int4 (symmetric) or uint4 data [V, D] and uint4 zero points [V, nBlocks], no bits attribute", () => {
    for (const symmetric of [true, false]) {
      const { model: q } = quantizeMatMulNBits(embedding(), { ...both, symmetric, blockSize: 32 });
      const g = q.graph!;
      const node = g.node[0]!;
      expect(node.domain).toBe("com.microsoft");
      expect(Object.fromEntries(node.attribute.map((a) => [a.name, Number(a.i)]))).toEqual({
        gather_axis: 0,
        quantize_axis: 1,
        block_size: 32,
      });
      const init = (name: string) => g.initializer.find((t) => t.name === name)!;
      const data = init(node.input[0]!);
      expect([data.dataType, data.dims.map(Number)]).toEqual([symmetric ? 22 : 21, [V, D]]);
      expect(node.input[1]).toBe("ids");
      expect(init(node.input[2]!).dims.map(Number)).toEqual([V, 3]);
      expect(node.input.length).toBe(symmetric ? 3 : 4);
      // The bytes: codes (minus 8 when symmetric) two per byte over the flat table, low nibble first.
      const qe = quantizeBlockwise(E, [V, D], { blockSize: 32, symmetric, arithmetic: "numpy" });
      const raw = data.rawData;
      for (let i = 0; i < V * D; i += 37) {
        const nibble = (raw[i >> 1]! >> ((i & 1) * 4)) & 15;
        expect(nibble).toBe((qe.codes[i]! - (symmetric ? 8 : 0)) & 15);
      }
      if (!symmetric) expect(init(node.input[3]!).dataType).toBe(21);
    }
  });

  it("2 and 8 bits: uint8 data [V, D * bits / 8] with a bits attribute", () => {
    for (const bits of [2, 8] as const) {
      const { model: q } = quantizeMatMulNBits(embedding(), { ...both, bits, blockSize: 16 });
      const node = q.graph!.node[0]!;
      expect(node.attribute.find((a) => a.name === "bits")?.i).toBe(BigInt(bits));
      const data = q.graph!.initializer.find((t) => t.name === node.input[0])!;
      expect([data.dataType, data.dims.map(Number)]).toEqual([2, [V, (D * bits) / 8]]);
    }
  });

  it("by default (opTypes MatMul) the Gather stays float and the model is what it was before the option", () => {
    const m = embedding();
    const plain = quantizeMatMulNBits(m, { blockSize: 32 });
    const explicit = quantizeMatMulNBits(m, { blockSize: 32, opTypes: ["MatMul"] });
    expect(writeModel(explicit.model)).toEqual(writeModel(plain.model));
    expect(plain.model.graph!.node.map((n) => n.opType)).toEqual(["Gather", "MatMulNBits"]);
    expect(plain.report.nodes[0]!.detail).toBe("MatMulNBits does not quantize Gather (it quantizes MatMul)");
    const only = quantizeMatMulNBits(m, { blockSize: 32, opTypes: ["Gather"] });
    expect(only.model.graph!.node.map((n) => n.opType)).toEqual(["GatherBlockQuantized", "MatMul"]);
  });

  it("gptq and awq need a MatMul's inputs: the embedding gets RTN and the report says so; hqq rounds its zero points", async () => {
    const activations = new Map([["h", randn(64 * D)]]);
    for (const method of ["gptq", "awq"] as const) {
      const { model: q, report } = quantizeMatMulNBits(embedding(), {
        ...both,
        method,
        activations,
        blockSize: 32,
      });
      expect(q.graph!.node[0]!.opType).toBe("GatherBlockQuantized");
      expect(report.nodes[0]!.detail).toContain(
        `rtn (${method} needs a MatMul's inputs; an embedding is round-to-nearest)`,
      );
      const table = dequantizeBlockwise(
        quantizeBlockwise(E, [V, D], { blockSize: 32, symmetric: true, arithmetic: "numpy" }),
      );
      expect((await run(writeModel(q))).h).toEqual(reference(table, W).h);
    }
    const { model: q, report } = quantizeMatMulNBits(embedding(), { ...both, method: "hqq", blockSize: 32 });
    expect(report.nodes[0]!.detail).toMatch(/4-bit hqq, table \[50, 80\].*rounded zero points/);
    const table = hqq(E, [V, D], { blockSize: 32, roundZeroPoint: true }).dequantized;
    expect((await run(writeModel(q))).h).toEqual(reference(table, W).h);
  });

  it("a table read by two Gathers is quantized once and both read it", async () => {
    const m = model(
      graph({
        nodes: [_node("Gather", ["E", "ids"], ["h"], "a"), _node("Gather", ["E", "ids"], ["y"], "b")],
        inputs: [tensorInfo("ids", 7, ["n"])],
        outputs: [tensorInfo("h", 1), tensorInfo("y", 1)],
        initializers: [fromArray(E, { dims: [V, D], name: "E" })],
      }),
      17,
    );
    const { model: q } = quantizeMatMulNBits(m, { ...both, blockSize: 32 });
    expect(q.graph!.initializer).toHaveLength(2); // codes and scales, once
    expect(q.graph!.node[0]!.input[0]).toBe(q.graph!.node[1]!.input[0]);
    const out = await run(writeModel(q));
    expect(out.y).toEqual(out.h);
  });

  it("a tied LM head (MatMul by the Transpose of the table) is quantized too: the Transpose is folded into its 4-bit B and removed, and the float table leaves the file; with the head excluded the report says the float table stays", async () => {
    const tied = () =>
      model(
        graph({
          nodes: [
            _node("Gather", ["E", "ids"], ["h"], "embed"),
            _node("Transpose", ["E"], ["Et"], "tied", [_attr("perm", [1, 0])]),
            _node("MatMul", ["h", "Et"], ["y"], "head"),
          ],
          inputs: [tensorInfo("ids", 7, ["n"])],
          outputs: [tensorInfo("h", 1), tensorInfo("y", 1)],
          initializers: [fromArray(E, { dims: [V, D], name: "E" })],
        }),
        17,
      );
    const { model: q, report } = quantizeMatMulNBits(tied(), { ...both, blockSize: 32 });
    expect(report.nodes.map((n) => [n.name, n.quantized])).toEqual([
      ["embed", true],
      ["tied", false],
      ["head", true],
    ]);
    expect(report.nodes[1]!.detail).toBe('removed: folded into the 4-bit weights of MatMul "head"');
    expect(report.nodes[2]!.detail).toContain("; B folded from constants through 1 Transpose node, removed;");
    expect(report.nodes[0]!.detail).not.toContain("stays in the file");
    expect(q.graph!.node.map((n) => n.opType)).toEqual(["GatherBlockQuantized", "MatMulNBits"]);
    expect(q.graph!.initializer.map((t) => t.name)).not.toContain("E");
    // Two 4-bit copies (rows for the Gather, columns for the head) in place of one float table.
    expect(report.sizeBytesAfter).toBeLessThan(0.4 * report.sizeBytesBefore);
    // The head multiplies by the 4-bit E^T; the rows by the 4-bit table.
    const Et = new Float32Array(D * V);
    for (let v = 0; v < V; v++) for (let d = 0; d < D; d++) Et[d * V + v] = E[v * D + d]!;
    const head = dequantizeBlockwise(
      quantizeBlockwise(Et, [D, V], { blockSize: 32, symmetric: true, layout: "KN" }),
    );
    const table = dequantizeBlockwise(
      quantizeBlockwise(E, [V, D], { blockSize: 32, symmetric: true, arithmetic: "numpy" }),
    );
    const out = await run(writeModel(q));
    expect(out.h).toEqual(reference(table, W).h);
    const want = new Float32Array(ids.length * V);
    for (let r = 0; r < ids.length; r++)
      for (let v = 0; v < V; v++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += out.h[r * D + d]! * head[d * V + v]!;
        want[r * V + v] = s;
      }
    expectClose(out.y, want);

    // AWQ: the folded B keeps s = 1 (scales are searched for constant weights) and gets the clip search.
    const activations = await collectMatMulInputs(tied(), {
      engine: ortEngine(ort),
      samples: [{ ids: { type: "int64", data: BigInt64Array.from(ids.map(BigInt)), dims: [ids.length] } }],
    });
    const withAwq = quantizeMatMulNBits(tied(), { ...both, blockSize: 32, method: "awq", activations });
    expect(withAwq.report.nodes[2]).toMatchObject({ name: "head", quantized: true });
    expect(withAwq.report.nodes[2]!.detail).toContain(
      "4-bit awq, blocks of 32, symmetric, float32 scales, s = 1 (AWQ searches scales for constant weights only); B folded from constants through 1 Transpose node, removed;",
    );
    expect(withAwq.model.graph!.initializer.map((t) => t.name)).not.toContain("E");

    const kept = quantizeMatMulNBits(tied(), { ...both, blockSize: 32, exclude: ["head"] });
    expect(kept.report.nodes[0]!.detail).toMatch(
      /; the float table stays in the file too: read by "tied" \(Transpose\)$/,
    );
    expect(kept.model.graph!.initializer.map((t) => t.name)).toContain("E");
    expect(kept.report.sizeBytesAfter).toBeGreaterThan(kept.report.sizeBytesBefore);
    const plain = quantizeMatMulNBits(embedding(), { ...both, blockSize: 32 });
    expect(plain.report.nodes[0]!.detail).not.toContain("stays in the file");
  });

  it("keeps float what it cannot quantize and says why", () => {
    const T3 = randn(4 * 8 * 32);
    const m = model(
      graph({
        nodes: [
          _node("Gather", ["table", "ids"], ["a"], "from_input"),
          _node("Gather", ["E", "ids"], ["b"], "columns", [_attr("axis", 1)]),
          _node("Gather", ["T3", "ids"], ["c"], "rank3"),
          _node("Gather", ["Small", "ids"], ["d"], "narrow"),
          _node("Gather", ["E", "ids"], ["e"], "skipped"),
        ],
        inputs: [tensorInfo("table", 1, [V, D]), tensorInfo("ids", 7, ["n"])],
        outputs: ["a", "b", "c", "d", "e"].map((n) => tensorInfo(n, 1)),
        initializers: [
          fromArray(E, { dims: [V, D], name: "E" }),
          fromArray(T3, { dims: [4, 8, 32], name: "T3" }),
          fromArray(randn(V * 16), { dims: [V, 16], name: "Small" }),
        ],
      }),
      17,
    );
    const { report } = quantizeMatMulNBits(m, { ...both, blockSize: 32, exclude: ["skipped"] });
    expect(report.nodes.map((n) => [n.name, n.quantized, n.detail])).toEqual([
      ["from_input", false, 'data "table" is not a constant (initializer or Constant node)'],
      ["columns", false, "axis 1: only a Gather of rows (axis 0) of a table [V, D] is quantized"],
      ["rank3", false, 'data "T3" has rank 3; only a 2-D table [V, D] is quantized'],
      ["narrow", false, "D = 16 is smaller than the block size 32: kept float"],
      ["skipped", false, "excluded by options.exclude"],
    ]);
    const odd = model(
      graph({
        nodes: [_node("Gather", ["O", "ids"], ["o"], "odd")],
        inputs: [tensorInfo("ids", 7, ["n"])],
        outputs: [tensorInfo("o", 1)],
        initializers: [fromArray(randn(4 * 34), { dims: [4, 34], name: "O" })],
      }),
      17,
    );
    expect(quantizeMatMulNBits(odd, { ...both, bits: 2, blockSize: 16 }).report.nodes[0]!.detail).toBe(
      "D = 34 is not a multiple of 4: 2-bit GatherBlockQuantized packs whole bytes per row",
    );
  });

  it("rejects bad opTypes with the option and the value", () => {
    const m = embedding();
    expect(() => quantizeMatMulNBits(m, { opTypes: ["MatMul", "Conv"] as never })).toThrow(
      'quantizeMatMulNBits: opTypes has "Conv", not one of MatMul, Gather',
    );
    expect(() => quantizeMatMulNBits(m, { opTypes: "Gather" as never })).toThrow(
      'quantizeMatMulNBits: opTypes must be an array of strings, got "Gather"',
    );
    expect(() => quantizeMatMulNBits(m, { opTypes: [] })).toThrow("opTypes is empty");
  });

  it("the tiny-lm fixture with its token embedding quantized runs in onnxruntime-node and stays close to the float model", async () => {
    const lm = readTinyLm();
    const m = readModel(lm.bytes);
    const { model: q, report } = quantizeMatMulNBits(m, { ...both, blockSize: 32, symmetric: false });
    const gathers = report.nodes.filter((n) => n.opType === "Gather" && n.quantized);
    expect(gathers.map((n) => n.name)).toEqual(["/tok/Gather"]); // the other Gathers read Shape outputs
    expect(q.graph!.node.filter((n) => n.opType === "GatherBlockQuantized")).toHaveLength(1);
    const plain = quantizeMatMulNBits(m, { blockSize: 32, symmetric: false });
    // tok.weight [63, 128]: 32,256 float32 bytes become 4,032 of codes, 1,008 of scales and 126 of zero points.
    expect(plain.report.sizeBytesAfter - report.sizeBytesAfter).toBeGreaterThan(26_500);
    const { context, stride } = lm.reference.evaluation;
    const text = encode(lm.vocab, [...lm.heldout].slice(0, 2048).join(""));
    const ppl = async (bytes: Uint8Array) => (await perplexity(bytes, text, context, stride)).perplexity;
    const fp32 = await ppl(lm.bytes);
    const withEmbedding = await ppl(writeModel(q));
    expect(Math.abs(withEmbedding - fp32) / fp32).toBeLessThan(0.02);
  });
});
