/**
 * Our packed tensors run through onnxruntime-node (its CPU execution provider) on one-node models written
 * by ./_onnx.ts: MatMulNBits' output equals a plain dequantize-then-matmul reference within float rounding,
 * and opset-21 blocked DequantizeLinear rebuilds our dequantized weight exactly.
 */
import { float16 } from "@quantkit/numeric";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  type BlockQuantized,
  dequantizeBlockwise,
  hqq,
  packBlockedDequantizeLinear,
  packMatMulNBits,
  quantizeBlockwise,
} from "../src/index";
import { type Initializer, oneNodeModel, rawOf } from "./_onnx";
import { refMatmulNT } from "./_reference";

const options: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  graphOptimizationLevel: "disabled",
};

// Where Float16Array exists (Node 24) onnxruntime-common turns float16 data into a Float16Array, whose byte
// length onnxruntime-node's binding reads as 0 (microsoft/onnxruntime#32323): the feed keeps its Uint16Array
// bits, and float16 outputs are read as bits whichever array holds them (@quantkit/onnx's ortEngine does the same).
function float16Feed(bits: Uint16Array, dims: number[]): ort.Tensor {
  const t = new ort.Tensor("float16", bits, dims);
  if (t.data !== bits) Object.defineProperty(t, "data", { value: bits });
  return t;
}
const float16Bits = (d: ort.Tensor["data"]) => {
  const v = d as Uint16Array;
  return new Uint16Array(v.buffer, v.byteOffset, v.length);
};

function gaussian(rng: Rng, n: number, std = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, std));
}

async function runMatMulNBits(
  q: BlockQuantized<Uint8Array | Float32Array>,
  a: Float32Array,
  M: number,
): Promise<Float32Array> {
  const t = packMatMulNBits(q);
  const half = q.scaleType === "float16";
  const elem: "float16" | "float" = half ? "float16" : "float";
  const initializers: Initializer[] = [
    { name: "B", type: "uint8" as const, dims: t.B.dims, raw: t.B.data },
    { name: "scales", type: elem, dims: t.scales.dims, raw: rawOf(t.scales.data) },
  ];
  if (t.zeroPoints) {
    const type = t.zeroPoints.type === "uint8" ? "uint8" : elem;
    initializers.push({ name: "zp", type, dims: t.zeroPoints.dims, raw: rawOf(t.zeroPoints.data) });
  }
  const model = oneNodeModel({
    opType: "MatMulNBits",
    domain: "com.microsoft",
    opset: 21,
    nodeInputs: t.zeroPoints ? ["A", "B", "scales", "zp"] : ["A", "B", "scales"],
    inputs: [{ name: "A", type: elem, dims: [M, q.K] }],
    initializers,
    output: { name: "Y", type: elem, dims: [M, q.N] },
    intAttributes: { ...t.attributes },
  });
  const session = await ort.InferenceSession.create(model, options);
  try {
    const feed = half
      ? float16Feed(float16.encodeArray(a), [M, q.K])
      : new ort.Tensor("float32", a, [M, q.K]);
    const y = (await session.run({ A: feed })).Y!;
    return half ? float16.decodeArray(float16Bits(y.data)) : (y.data as Float32Array);
  } finally {
    await session.release();
  }
}

describe("MatMulNBits in onnxruntime-node equals dequantize-then-matmul", () => {
  const rng = new Rng(42);
  const cases = [
    { bits: 4, blockSize: 32, symmetric: false, K: 100, N: 24 },
    { bits: 4, blockSize: 32, symmetric: true, K: 100, N: 24 },
    { bits: 4, blockSize: 128, symmetric: false, K: 256, N: 16 },
    { bits: 4, blockSize: 16, symmetric: false, K: 64, N: 33 },
    { bits: 8, blockSize: 32, symmetric: false, K: 96, N: 12 },
    { bits: 8, blockSize: 64, symmetric: true, K: 96, N: 12 },
    { bits: 2, blockSize: 64, symmetric: false, K: 128, N: 8 },
  ] as const;
  for (const c of cases) {
    it(`bits ${c.bits}, block ${c.blockSize}, ${c.symmetric ? "symmetric" : "asymmetric"}, K ${c.K}, N ${c.N}`, async () => {
      const M = 5;
      const w = gaussian(rng, c.N * c.K);
      const a = gaussian(rng, M * c.K);
      const q = quantizeBlockwise(w, [c.N, c.K], {
        bits: c.bits,
        blockSize: c.blockSize,
        symmetric: c.symmetric,
      });
      const y = await runMatMulNBits(q, a, M);
      const want = refMatmulNT(a, q.dequantized, M, c.K, c.N);
      const bound = refMatmulNT(a.map(Math.abs), q.dequantized.map(Math.abs), M, c.K, c.N);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * bound[i]! + 1e-6);
    });
  }

  it("float16 A with float16 scales (q4f16) within float16 rounding", async () => {
    const M = 3;
    const N = 16;
    const K = 64;
    const w = gaussian(rng, N * K).map(float16.round);
    const a = gaussian(rng, M * K).map(float16.round);
    const q = quantizeBlockwise(w, [N, K], { blockSize: 32, scaleType: "float16" });
    const y = await runMatMulNBits(q, a, M);
    const want = refMatmulNT(a, q.dequantized, M, K, N);
    const bound = refMatmulNT(a.map(Math.abs), q.dequantized.map(Math.abs), M, K, N);
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(4e-3 * bound[i]! + 1e-3);
  });
});

describe("HQQ's float zero points in MatMulNBits", () => {
  it("MatMulNBits with float32 zero points [N, nBlocks] equals dequantize-then-matmul", async () => {
    const rng = new Rng(9);
    const M = 4;
    const N = 20;
    const K = 96;
    const q = hqq(gaussian(rng, N * K), [N, K], { blockSize: 32 });
    const a = gaussian(rng, M * K);
    const y = await runMatMulNBits(q, a, M);
    const want = refMatmulNT(a, q.dequantized, M, K, N);
    const bound = refMatmulNT(a.map(Math.abs), q.dequantized.map(Math.abs), M, K, N);
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * bound[i]! + 1e-6);
  });
});

describe("blocked DequantizeLinear (opset 21) in onnxruntime-node", () => {
  for (const symmetric of [false, true]) {
    it(`int4 ${symmetric ? "symmetric (int4, no zero point)" : "asymmetric (uint4 + zero point)"} rebuilds the dequantized [K, N] weight exactly`, async () => {
      const rng = new Rng(symmetric ? 7 : 8);
      const N = 6;
      const K = 40;
      const q = quantizeBlockwise(gaussian(rng, N * K), [N, K], { blockSize: 16, symmetric });
      const t = packBlockedDequantizeLinear(q);
      const initializers: Initializer[] = [{ name: "x", type: t.x.type, dims: t.x.dims, raw: t.x.data }];
      if (t.xZeroPoint)
        initializers.push({
          name: "zp",
          type: t.xZeroPoint.type,
          dims: t.xZeroPoint.dims,
          raw: t.xZeroPoint.data,
        });
      const model = oneNodeModel({
        opType: "DequantizeLinear",
        opset: 21,
        nodeInputs: t.xZeroPoint ? ["x", "s", "zp"] : ["x", "s"],
        inputs: [{ name: "s", type: "float", dims: t.xScale.dims }],
        initializers,
        output: { name: "Y", type: "float", dims: [K, N] },
        intAttributes: { ...t.attributes },
      });
      const session = await ort.InferenceSession.create(model, options);
      try {
        const y = (
          await session.run({ s: new ort.Tensor("float32", t.xScale.data as Float32Array, t.xScale.dims) })
        ).Y!;
        expect(y.data as Float32Array).toEqual(dequantizeBlockwise(q, "KN"));
      } finally {
        await session.release();
      }
    });
  }
});
