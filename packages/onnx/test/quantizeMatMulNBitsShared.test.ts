// A weight read by several MatMuls (layers that share weights, as ALBERT's do; a MatMul inside an If
// branch reading the outer graph's weight) is quantized once and stored where the float weight lives.

import { Rng } from "@quantkit/tensor";
import { dequantizeBlockwise, quantizeBlockwise } from "@quantkit/weights";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { allNodes } from "../src/allNodes";
import { fromArray } from "../src/fromArray";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const [K, N] = [64, 64];
const rng = new Rng(23);
const W = Float32Array.from({ length: K * N }, () => rng.normal(0, 0.2));
const X = Float32Array.from({ length: 3 * K }, () => rng.normal(0, 1));

/** x -> MatMul W -> MatMul W -> If(cond) { MatMul W (outer) } else { Identity } */
function sharedWeights() {
  const branch = (name: string, nodes: ReturnType<typeof _node>[], out: string) =>
    graph({ name, nodes, inputs: [], outputs: [tensorInfo(out, 1)] });
  return model(
    graph({
      nodes: [
        _node("MatMul", ["x", "W"], ["h1"], "layer1"),
        _node("MatMul", ["h1", "W"], ["h2"], "layer2"),
        _node("If", ["cond"], ["y"], "branch", [
          _attr("then_branch", branch("then", [_node("MatMul", ["h2", "W"], ["t"], "layer3")], "t")),
          _attr("else_branch", branch("else", [_node("Identity", ["h2"], ["e"], "skip")], "e")),
        ]),
      ],
      inputs: [tensorInfo("x", 1, [3, K]), tensorInfo("cond", 9, [])],
      outputs: [tensorInfo("y", 1)],
      initializers: [fromArray(W, { dims: [K, N], name: "W" })],
    }),
    17,
  );
}

describe("quantizeMatMulNBits: a weight shared by several MatMuls", () => {
  it("is quantized once, stored in the graph that holds the float weight, and read by all three (one inside an If branch); onnxruntime gives the dequantized weight's products", async () => {
    const m = sharedWeights();
    const { model: q, report } = quantizeMatMulNBits(m, { blockSize: 32 });
    expect(report.nodes.filter((n) => n.quantized).map((n) => n.name)).toEqual([
      "layer1",
      "layer2",
      "layer3",
    ]);
    const nbits = allNodes(q).filter((e) => e.node.opType === "MatMulNBits");
    expect(nbits.length).toBe(3);
    expect(new Set(nbits.map((e) => e.node.input.slice(1).join()))).toEqual(
      new Set([nbits[0]!.node.input.slice(1).join()]),
    );
    const stored = q.graph!.initializer.map((t) => t.name);
    expect(stored).toEqual(nbits[0]!.node.input.slice(1));
    expect(stored.includes("W")).toBe(false);
    // One packed copy: the file is the three MatMulNBits plus one 4-bit weight.
    expect(report.sizeBytesAfter).toBeLessThan(0.2 * report.sizeBytesBefore);

    const wq = dequantizeBlockwise(
      quantizeBlockwise(W, [K, N], { blockSize: 32, symmetric: true, layout: "KN" }),
    );
    const matmul = (a: Float32Array) => {
      const out = new Float32Array((a.length / K) * N);
      for (let r = 0; r < a.length / K; r++)
        for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[r * K + k]! * wq[k * N + n]!;
          out[r * N + n] = s;
        }
      return out;
    };
    const expected = matmul(matmul(matmul(X)));
    const s = await ort.InferenceSession.create(writeModel(q), { intraOpNumThreads: 1 });
    const y = (
      await s.run({
        x: new ort.Tensor("float32", X, [3, K]),
        cond: new ort.Tensor("bool", Uint8Array.of(1), []),
      })
    ).y!.data as Float32Array;
    await s.release();
    let worst = 0;
    for (let i = 0; i < y.length; i++)
      worst = Math.max(worst, Math.abs(y[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });
});
