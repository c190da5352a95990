// 4-bit weights in onnxruntime-web (WASM, one thread, here in Node): com.microsoft.MatMulNBits in each
// of its forms (symmetric, packed uint8 zero points, HQQ's float zero points, float16 scales and A) and
// the opset-21 blocked DequantizeLinear (int4 / uint4, format "QDQ"), and com.microsoft.GatherBlockQuantized
// for embeddings (and DequantizeLinear + Gather) load without an unsupported-operator
// error and compute what onnxruntime-node computes.
import { Rng } from "@quantkit/tensor";
import * as ortNode from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _node } from "../src/_quantGraph";
import { convertFloatToFloat16, fromArray, ortEngine, quantizeMatMulNBits, writeModel } from "../src/index";
import { graph, model, tensorInfo } from "./_models";
import { maxDiff, web } from "./_webEngines";

const rng = new Rng(21);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

/** x [n, 96] -> MatMul(W [96, 40]) -> y, at the given opset. */
function oneLayer(opset: number) {
  return model(
    graph({
      nodes: [_node("MatMul", ["x", "W"], ["y"], "fc")],
      inputs: [tensorInfo("x", 1, ["n", 96])],
      outputs: [tensorInfo("y", 1)],
      initializers: [fromArray(randn(96 * 40, 0.3), { dims: [96, 40], name: "W" })],
    }),
    opset,
  );
}

/**
 * onnxruntime-node without graph optimizations: by default it fuses a blocked DequantizeLinear + MatMul
 * into MatMulNBits with accuracy level 4 (int8 activations), about 0.5% off the float product.
 */
const exact = ortEngine(ortNode, {
  sessionOptions: { intraOpNumThreads: 1, graphOptimizationLevel: "disabled" },
});

describe("4-bit weights in onnxruntime-web (WASM)", () => {
  const feeds = [{ x: { type: "float32", data: randn(5 * 96), dims: [5, 96] } }];

  it("MatMulNBits (symmetric, asymmetric, HQQ float zero points, q4f16): same outputs as onnxruntime-node within 1e-5 (1e-2 for float16)", async () => {
    const m = oneLayer(17);
    for (const options of [{}, { symmetric: false }, { method: "hqq" as const }]) {
      const q = quantizeMatMulNBits(m, { blockSize: 32, ...options }).model;
      expect(q.graph!.node.map((n) => n.opType)).toEqual(["MatMulNBits"]);
      expect(await maxDiff(writeModel(q), feeds)).toBeLessThan(1e-5);
    }
    const q4f16 = convertFloatToFloat16(
      quantizeMatMulNBits(m, { blockSize: 32, scaleType: "float16" }).model,
    );
    expect(await maxDiff(writeModel(q4f16.model), feeds)).toBeLessThan(1e-2);
  });

  it('format "QDQ" (opset-21 blocked DequantizeLinear, int4 and uint4 + zero point): same outputs as onnxruntime-node without graph optimizations within 1e-5 (measured 4.8e-7; the fused int8 path onnxruntime-node takes by default is 8.6e-3 away)', async () => {
    const m = oneLayer(21);
    for (const symmetric of [true, false]) {
      const q = quantizeMatMulNBits(m, { blockSize: 32, format: "QDQ", symmetric }).model;
      expect(q.graph!.node.map((n) => n.opType)).toEqual(["DequantizeLinear", "MatMul"]);
      const bytes = writeModel(q);
      const a = (await (await exact.createSession(bytes)).run(feeds[0]!)).y!.data as Float32Array;
      const b = (await (await web.createSession(bytes)).run(feeds[0]!)).y!.data as Float32Array;
      let d = 0;
      for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
      expect(d).toBeLessThan(1e-5);
    }
  });

  it('embeddings (opTypes with "Gather"): GatherBlockQuantized (int4, uint4 + zero points, uint8 at 2 and 8 bits) and the opset-21 DequantizeLinear + Gather run and gather the same rows as onnxruntime-node', async () => {
    const table = randn(40 * 64, 0.5);
    const gather = (opset: number) =>
      model(
        graph({
          nodes: [_node("Gather", ["E", "ids"], ["y"], "embed")],
          inputs: [tensorInfo("ids", 7, ["n"])],
          outputs: [tensorInfo("y", 1)],
          initializers: [fromArray(table, { dims: [40, 64], name: "E" })],
        }),
        opset,
      );
    const ids = [{ ids: { type: "int64", data: BigInt64Array.from([0n, 39n, 7n, 7n, 21n]), dims: [5] } }];
    const opTypes = ["Gather"] as const;
    for (const [bits, symmetric] of [
      [4, true],
      [4, false],
      [2, true],
      [8, false],
    ] as const) {
      const q = quantizeMatMulNBits(gather(17), {
        opTypes: [...opTypes],
        bits,
        symmetric,
        blockSize: 16,
      }).model;
      expect(q.graph!.node.map((n) => n.opType)).toEqual(["GatherBlockQuantized"]);
      expect(await maxDiff(writeModel(q), ids)).toBe(0);
    }
    const qdq = quantizeMatMulNBits(gather(21), {
      opTypes: [...opTypes],
      format: "QDQ",
      blockSize: 16,
    }).model;
    expect(qdq.graph!.node.map((n) => n.opType)).toEqual(["DequantizeLinear", "Gather"]);
    expect(await maxDiff(writeModel(qdq), ids)).toBe(0);
  });
});
