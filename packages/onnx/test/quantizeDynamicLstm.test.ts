// q8 of LSTM: com.microsoft.DynamicQuantizeLSTM, as ONNX Runtime's quantize_dynamic writes it; W and R
// folded from PyTorch's gate Slices; checked against a slow per-row quantization and run by onnxruntime.

import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { ModelProto, NodeProto } from "../src/_gen/onnx_pb";
import { _attr, _node } from "../src/_quantGraph";
import { allNodes } from "../src/allNodes";
import { fromArray } from "../src/fromArray";
import { quantizeDynamic } from "../src/quantizeDynamic";
import { toArray } from "../src/toArray";
import { toFloat32Array } from "../src/toFloat32Array";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const [T, B, I, H] = [6, 2, 10, 8];
const rng = new Rng(5);
const randn = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal(0, s));
const X = randn(T * B * I, 1);

/** Per row of [rows, cols]: ONNX's QuantizeLinear of w with scale max|row| / 127 and zero point 128. */
function slowCodes(w: Float32Array, rows: number, cols: number): { codes: number[]; scale: number[] } {
  const codes: number[] = [];
  const scale: number[] = [];
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[r * cols + c]!));
    const s = Math.fround(m / 127);
    scale.push(s);
    for (let c = 0; c < cols; c++) {
      const v = w[r * cols + c]! / s;
      const f = Math.floor(v);
      const q = v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
      codes.push(q + 128);
    }
  }
  return { codes, scale };
}

/** [D, G, I] -> [D, I, G] */
function transpose(a: ArrayLike<number>, D: number, G: number, K: number): number[] {
  const out = new Array<number>(D * G * K);
  for (let d = 0; d < D; d++)
    for (let g = 0; g < G; g++)
      for (let k = 0; k < K; k++) out[(d * K + k) * G + g] = a[(d * G + g) * K + k]!;
  return out;
}

async function run(m: ModelProto, names: string[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(writeModel(m), { intraOpNumThreads: 1 });
  const r = await s.run({ x: new ort.Tensor("float32", X, [T, B, I]) });
  await s.release();
  return names.map((n) => r[n]!.data as Float32Array);
}

function sqnrDb(f: Float32Array, q: Float32Array): number {
  let [sig, noise] = [0, 0];
  for (let i = 0; i < f.length; i++) [sig, noise] = [sig + f[i]! ** 2, noise + (f[i]! - q[i]!) ** 2];
  return 10 * Math.log10(sig / noise);
}

const init = (m: ModelProto, name: string) => m.graph!.initializer.find((t) => t.name === name)!;

describe("quantizeDynamic: LSTM -> com.microsoft.DynamicQuantizeLSTM", () => {
  const D = 2;
  const W = randn(D * 4 * H * I, 0.3);
  const R = randn(D * 4 * H * H, 0.3);
  const Bias = randn(D * 8 * H, 0.1);
  const lstm = (m: { layout?: number } = {}) =>
    model(
      graph({
        nodes: [
          _node("LSTM", ["x", "W", "R", "B"], ["y", "y_h", "y_c"], "lstm", [
            _attr("hidden_size", H),
            _attr("direction", "bidirectional"),
            ...(m.layout === undefined ? [] : [_attr("layout", m.layout)]),
          ]),
        ],
        inputs: [tensorInfo("x", 1, [T, B, I])],
        outputs: [tensorInfo("y", 1), tensorInfo("y_h", 1), tensorInfo("y_c", 1)],
        initializers: [
          fromArray(W, { dims: [D, 4 * H, I], name: "W" }),
          fromArray(R, { dims: [D, 4 * H, H], name: "R" }),
          fromArray(Bias, { dims: [D, 8 * H], name: "B" }),
        ],
      }),
      14,
    );

  it("bidirectional: W and R per gate row, uint8 with zero point 128, stored [D, inputs, 4H] as ONNX's QuantizeLinear gives them; onnxruntime runs it close to the float LSTM", async () => {
    const m = lstm();
    const { model: q, report } = quantizeDynamic(m);
    expect(report.nodes[0]).toMatchObject({
      opType: "LSTM",
      quantized: true,
      detail: "DynamicQuantizeLSTM (uint8 W and R, per gate row)",
    });
    const node = q.graph!.node[0]! as NodeProto;
    expect([node.opType, node.domain]).toEqual(["DynamicQuantizeLSTM", "com.microsoft"]);
    expect(node.input.slice(0, 4)).toEqual(["x", "W_quantized", "R_quantized", "B"]);
    expect(node.attribute.map((a) => a.name)).toEqual(["hidden_size", "direction"]);
    for (const [w, K, at] of [
      [W, I, 1],
      [R, H, 2],
    ] as const) {
      const slow = slowCodes(w, D * 4 * H, K);
      const codes = init(q, node.input[at]!);
      expect(codes.dims.map(Number)).toEqual([D, K, 4 * H]);
      expect(Array.from(toArray(codes) as Uint8Array)).toEqual(transpose(slow.codes, D, 4 * H, K));
      const scale = init(q, node.input[at === 1 ? 8 : 10]!);
      expect(scale.dims.map(Number)).toEqual([D, 4 * H]);
      expect(Array.from(toFloat32Array(scale))).toEqual(slow.scale);
      expect(Array.from(toArray(init(q, node.input[at === 1 ? 9 : 11]!)) as Uint8Array)).toEqual(
        Array(D * 4 * H).fill(128),
      );
    }
    expect(q.graph!.initializer.some((t) => t.name === "W" || t.name === "R")).toBe(false);
    const f = await run(m, ["y", "y_h", "y_c"]);
    const g = await run(q, ["y", "y_h", "y_c"]);
    for (let i = 0; i < 3; i++) expect(sqnrDb(f[i]!, g[i]!)).toBeGreaterThan(30);
  });

  it("per tensor: one scale per direction; weightType int8: zero point 0; layout 1 and opTypes without LSTM stay float and say why", () => {
    const perTensor = quantizeDynamic(lstm(), { perChannel: false }).model;
    const n = perTensor.graph!.node[0]!;
    expect(init(perTensor, n.input[8]!).dims.map(Number)).toEqual([D]);
    const s = slowCodes(W, D, 4 * H * I).scale;
    expect(Array.from(toFloat32Array(init(perTensor, n.input[8]!)))).toEqual(s);
    const signed = quantizeDynamic(lstm(), { weightType: "int8" }).model;
    const z = init(signed, signed.graph!.node[0]!.input[9]!);
    expect([z.dataType, Array.from(toArray(z) as Int8Array).every((v) => v === 0)]).toEqual([3, true]);
    expect(quantizeDynamic(lstm({ layout: 1 })).report.nodes[0]).toMatchObject({
      quantized: false,
      detail: "LSTM with layout = 1 (batch first) stays float: DynamicQuantizeLSTM has no layout",
    });
    expect(quantizeDynamic(lstm(), { opTypes: ["MatMul"] }).report.nodes[0]!.quantized).toBe(false);
  });

  it("W and R computed as PyTorch exports an LSTM cell (gates sliced from a 2-D weight, reordered by Concat, Unsqueezed): folded, quantized as the computed weight, the chain and its constants removed", async () => {
    const w2 = randn(4 * H * I, 0.3); // PyTorch's weight_ih: gates i, f, g, o
    const r2 = randn(4 * H * H, 0.3);
    const ints = (name: string, v: number[]) =>
      _node("Constant", [], [name], name, [
        _attr("value", fromArray(BigInt64Array.from(v.map(BigInt)), { dims: [v.length], name })),
      ]);
    const chain = (src: string, out: string) => {
      // ONNX's order i, o, f, c from PyTorch's i, f, g, o
      const order = [0, 3, 1, 2];
      const nodes: NodeProto[] = [];
      for (const [k, gate] of order.entries()) {
        nodes.push(
          ints(`${out}_s${k}`, [gate * H]),
          ints(`${out}_e${k}`, [(gate + 1) * H]),
          _node(
            "Slice",
            [src, `${out}_s${k}`, `${out}_e${k}`, "axis0"],
            [`${out}_g${k}`],
            `${out}_slice${k}`,
          ),
        );
      }
      nodes.push(
        _node(
          "Concat",
          [0, 1, 2, 3].map((k) => `${out}_g${k}`),
          [`${out}_cat`],
          `${out}_concat`,
          [_attr("axis", 0)],
        ),
        _node("Unsqueeze", [`${out}_cat`, "axis0"], [out], `${out}_unsqueeze`),
      );
      return nodes;
    };
    const m = model(
      graph({
        nodes: [
          ints("axis0", [0]),
          ...chain("w2", "W"),
          ...chain("r2", "R"),
          _node("LSTM", ["x", "W", "R"], ["y", "y_h"], "cell", [_attr("hidden_size", H)]),
        ],
        inputs: [tensorInfo("x", 1, [T, B, I])],
        outputs: [tensorInfo("y", 1), tensorInfo("y_h", 1)],
        initializers: [
          fromArray(w2, { dims: [4 * H, I], name: "w2" }),
          fromArray(r2, { dims: [4 * H, H], name: "r2" }),
        ],
      }),
      14,
    );
    // The computed W, as onnxruntime computes it.
    const exposed = model(graph({ ...gparts(m), outputs: [tensorInfo("W", 1)] }), 14);
    const [computedW] = await run(exposed, ["W"]);
    const { model: q, report } = quantizeDynamic(m);
    expect(report.nodes.find((n) => n.opType === "LSTM")!.detail).toBe(
      "DynamicQuantizeLSTM (uint8 W and R, per gate row; W and R folded from constants through 12 nodes, removed)",
    );
    const node = q.graph!.node.find((n) => n.opType === "DynamicQuantizeLSTM")!;
    const slow = slowCodes(computedW!, 4 * H, I);
    expect(Array.from(toArray(init(q, node.input[1]!)) as Uint8Array)).toEqual(
      transpose(slow.codes, 1, 4 * H, I),
    );
    const removed = report.nodes.filter(
      (n) => n.detail === 'removed: folded into the 8-bit weights of LSTM "cell"',
    );
    expect(removed.map((n) => n.opType).sort()).toEqual([
      ...Array(2).fill("Concat"),
      ...Array(8).fill("Slice"),
      ...Array(2).fill("Unsqueeze"),
    ]);
    // Nothing of the chain is left: one node, no float weights, no integer constants.
    expect(allNodes(q).map((e) => e.node.opType)).toEqual(["DynamicQuantizeLSTM"]);
    expect(q.graph!.initializer.map((t) => t.dataType).sort()).toEqual([1, 1, 2, 2, 2, 2]);
    const f = await run(m, ["y", "y_h"]);
    const g = await run(q, ["y", "y_h"]);
    for (let i = 0; i < 2; i++) expect(sqnrDb(f[i]!, g[i]!)).toBeGreaterThan(30);

    // A chain whose values something else reads stays: the LSTM stays float and says why.
    const output = model(graph({ ...gparts(m), outputs: [tensorInfo("y", 1), tensorInfo("W_cat", 1)] }), 14);
    expect(quantizeDynamic(output).report.nodes.find((n) => n.opType === "LSTM")).toMatchObject({
      quantized: false,
      detail: 'weight "W": "W_cat" is a graph output',
    });
    const read = model(
      graph({
        ...gparts(m),
        nodes: [...m.graph!.node, _node("Identity", ["W_g1"], ["extra"], "extra")],
        outputs: [tensorInfo("y", 1), tensorInfo("extra", 1)],
      }),
      14,
    );
    expect(quantizeDynamic(read).report.nodes.find((n) => n.opType === "LSTM")).toMatchObject({
      quantized: false,
      detail: 'weight "W": "W_g1" is also read by "extra"',
    });
  });
});

/** The nodes, inputs and initializers of `m`'s main graph, to build a variant with other outputs. */
function gparts(m: ModelProto) {
  const g = m.graph!;
  return { nodes: g.node, inputs: g.input, initializers: g.initializer };
}
