// The PP-OCRv4 recogniser in q4 / q4f16 with each weight-only method, for the tests that check it runs
// in onnxruntime (node and web), reads the rendered text lines as the float model does, and computes
// what a plain JS dequantize-then-matmul computes. bench/ocrQ4.bench.ts measures the same on all lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { float16 } from "@quantkit/numeric";
import { beforeAll, describe, expect, it } from "vitest";
import { ctcDecode, readTextLines, recInput } from "../bench/_ocr";
import {
  collectMatMulInputs,
  convertFloatToFloat16,
  type EngineFeeds,
  type InferenceEngine,
  type ModelProto,
  makeGraph,
  makeModel,
  makeValueInfo,
  type NodeProto,
  quantizeMatMulNBits,
  readModel,
  toArray,
  toFloat32Array,
  type WeightOnlyMethod,
  writeModel,
} from "../src/index";
import { MODELS } from "./_fixtures";
import { FIXTURES } from "./_realFixtures";
import { node, web } from "./_webEngines";

export const METHODS: readonly WeightOnlyMethod[] = ["rtn", "gptq", "awq", "hqq"];

export const lines = readTextLines(join(FIXTURES, "text-lines"));
export const recogniserBytes = new Uint8Array(readFileSync(MODELS.ocrRec));
export const recogniser = readModel(recogniserBytes);
export const lineFeed = (i: number): EngineFeeds => ({ x: { type: "float32", ...recInput(lines, i) } });

/** The MatMul inputs GPTQ and AWQ calibrate on: lines 0..count-1 (40 rows of each per line). */
export function calibrate(engine: InferenceEngine, count: number) {
  return collectMatMulInputs(recogniser, {
    engine,
    samples: Array.from({ length: count }, (_, i) => lineFeed(i)),
  });
}

/** q4: quantizeMatMulNBits (4 bits, blocks of 32); q4f16: the same with float16 scales, then fp16. */
export function quantizeRecogniser(
  method: WeightOnlyMethod,
  precision: "q4" | "q4f16",
  activations: ReadonlyMap<string, Float32Array>,
): ModelProto {
  const { model } = quantizeMatMulNBits(recogniser, {
    bits: 4,
    blockSize: 32,
    method,
    scaleType: precision === "q4" ? "float32" : "float16",
    ...(method === "gptq" || method === "awq" ? { activations } : {}),
  });
  return precision === "q4" ? model : convertFloatToFloat16(model).model;
}

/** The CTC strings (class indices) a model reads on the given lines. */
export async function readLines(
  engine: InferenceEngine,
  bytes: Uint8Array,
  indices: readonly number[],
): Promise<string[]> {
  const s = await engine.createSession(bytes);
  const out: string[] = [];
  for (const i of indices) {
    const r = await s.run(lineFeed(i));
    const t = Object.values(r)[0]!;
    out.push(ctcDecode(t.data as Float32Array, t.dims));
  }
  await s.release?.();
  return out;
}

/**
 * The first MatMulNBits of a quantized recogniser (with `awqScaled`, the first with AWQ's Mul by 1/s
 * before it, which it includes) as a model of its own: input A [rows, K] of the model's float type,
 * output Y [rows, N].
 */
export function firstMatMulNBits(q: ModelProto, awqScaled = false) {
  const g = q.graph!;
  const scaledBy = (n: NodeProto) =>
    g.node.find((m) => m.opType === "Mul" && m.output[0] === n.input[0] && m.input[1]!.includes("_awq_"));
  const node = g.node.find((n) => n.opType === "MatMulNBits" && (!awqScaled || scaledBy(n) !== undefined))!;
  const mul = scaledBy(node);
  const init = (name: string) => g.initializer.find((t) => t.name === name)!;
  const attr = (name: string) => Number(node.attribute.find((a) => a.name === name)!.i);
  const K = attr("K");
  const N = attr("N");
  const half = init(node.input[2]!).dataType === 10;
  const elem = half ? 10 : 1;
  const input = mul === undefined ? node.input[0]! : mul.input[0]!;
  const nodes = mul === undefined ? [node] : [mul, node];
  const used = nodes.flatMap((n) => n.input).filter((n) => g.initializer.some((t) => t.name === n));
  const model = makeModel(
    makeGraph({
      name: "one_matmulnbits",
      node: nodes,
      input: [makeValueInfo(input, elem, ["rows", K])],
      output: [makeValueInfo(node.output[0]!, elem, ["rows", N])],
      initializer: used.map(init),
    }),
    { opsets: { "": 17, "com.microsoft": 1 } },
  );
  return {
    model,
    K,
    N,
    half,
    input,
    /** The tensors the reference reads, as stored. */
    B: toArray(init(node.input[1]!)) as Uint8Array,
    scales: toFloat32Array(init(node.input[2]!)),
    zeroPoints: node.input[3] === undefined || node.input[3] === "" ? null : init(node.input[3]),
    inverseScale: mul === undefined ? null : toFloat32Array(init(mul.input[1]!)),
    blockSize: attr("block_size"),
    bits: attr("bits"),
  };
}

/**
 * Plain JS, from ONNX Runtime's contrib-op description of MatMulNBits: B [N, nBlocks, blockSize / 2]
 * holds 4-bit codes, low nibble first; zero points packed the same way along a column's blocks (8 when
 * absent) or float; W[n, k] = (code - zeroPoint) * scale; Y = A W^T (A first multiplied by AWQ's 1/s),
 * summed in float64.
 */
export function referenceMatMulNBits(
  one: ReturnType<typeof firstMatMulNBits>,
  a: Float32Array,
): Float64Array {
  const { K, N, blockSize, B, scales } = one;
  expect(one.bits).toBe(4);
  const nBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const zp = one.zeroPoints;
  const zpFloat = zp !== null && zp.dataType !== 2 ? toFloat32Array(zp) : null;
  const zpBytes = zp !== null && zp.dataType === 2 ? (toArray(zp) as Uint8Array) : null;
  const W = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      let zero = 8;
      if (zpFloat !== null) zero = zpFloat[n * nBlocks + b]!;
      else if (zpBytes !== null) {
        const byte = zpBytes[n * Math.ceil(nBlocks / 2) + (b >> 1)]!;
        zero = b % 2 === 0 ? byte & 15 : byte >> 4;
      }
      const scale = scales[n * nBlocks + b]!;
      for (let j = 0; j < blockSize && b * blockSize + j < K; j++) {
        const byte = B[(n * nBlocks + b) * blob + (j >> 1)]!;
        const code = j % 2 === 0 ? byte & 15 : byte >> 4;
        W[n * K + b * blockSize + j] = (code - zero) * scale;
      }
    }
  }
  const rows = a.length / K;
  const y = new Float64Array(rows * N);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const x =
          one.inverseScale === null ? a[r * K + k]! : Math.fround(a[r * K + k]! * one.inverseScale[k]!);
        s += x * W[n * K + k]!;
      }
      y[r * N + n] = s;
    }
  }
  return y;
}

/** Runs the one-MatMulNBits model on rows of A (float16 models take A rounded to float16). */
export async function runMatMulNBits(
  engine: InferenceEngine,
  one: ReturnType<typeof firstMatMulNBits>,
  a: Float32Array,
): Promise<Float32Array> {
  const s = await engine.createSession(writeModel(one.model));
  const dims = [a.length / one.K, one.K];
  const feed = one.half
    ? { type: "float16", data: float16.encodeArray(a), dims }
    : { type: "float32", data: a, dims };
  const r = await s.run({ [one.input]: feed } as EngineFeeds);
  await s.release?.();
  const t = Object.values(r)[0]!;
  return one.half ? float16.decodeArray(t.data as Uint16Array) : (t.data as Float32Array);
}

/** What a q4 / q4f16 test file asserts, with the values measured on this machine. */
export interface RecogniserQ4Expectations {
  /** At least this many of the 20 evaluation lines read as the float model reads them, per method. */
  minSameLines: number;
  /** What was measured, per method (for the test's name). */
  measuredSameLines: Record<WeightOnlyMethod, number>;
  /** The largest |ORT - reference| allowed, relative to max |reference| of the layer. */
  maxRelativeError: number;
  measuredRelativeError: string;
}

/**
 * The checks of one precision: GPTQ and AWQ calibrated on lines 0..1 (80 rows per MatMul input, a quick
 * configuration), every method's model read on lines 32..51 in onnxruntime-node, its first
 * MatMulNBits against the JS reference on 40 calibration rows, and the model loaded in onnxruntime-web.
 */
export function describeRecogniserQ4(precision: "q4" | "q4f16", e: RecogniserQ4Expectations): void {
  const evalLines = Array.from({ length: 20 }, (_, i) => 32 + i);
  let activations: Map<string, Float32Array>;
  let float: string[];
  const models = new Map<WeightOnlyMethod, Uint8Array>();
  const protos = new Map<WeightOnlyMethod, ModelProto>();

  describe(`${precision} PP-OCRv4 recogniser (MatMulNBits, blocks of 32) with rtn, gptq, awq and hqq`, () => {
    beforeAll(async () => {
      activations = await calibrate(node, 2);
      float = await readLines(node, recogniserBytes, evalLines);
      for (const m of METHODS) {
        const q = quantizeRecogniser(m, precision, activations);
        protos.set(m, q);
        models.set(m, writeModel(q));
      }
    }, 120_000);

    const measured = METHODS.map((m) => `${m} ${e.measuredSameLines[m]}`).join(", ");
    it(`loads and runs in onnxruntime-node and reads the float model's CTC string on >= ${e.minSameLines}/20 lines (measured ${measured})`, async () => {
      for (const m of METHODS) {
        const q = await readLines(node, models.get(m)!, evalLines);
        const same = q.filter((s, i) => s === float[i]).length;
        expect(same, m).toBeGreaterThanOrEqual(e.minSameLines);
      }
    });

    it(`its first MatMulNBits equals a JS dequantize-then-matmul reference within ${e.maxRelativeError} of the output's scale (measured ${e.measuredRelativeError})`, async () => {
      for (const m of METHODS) {
        // AWQ: the first MatMul (the fused qkv projection) keeps s = 1; check one with a Mul by 1/s.
        const one = firstMatMulNBits(protos.get(m)!, m === "awq");
        expect(one.half).toBe(precision === "q4f16");
        expect(one.inverseScale !== null).toBe(m === "awq");
        expect(one.zeroPoints === null).toBe(m !== "hqq"); // symmetric blocks; HQQ's float zero points
        let a = activations.get(one.input)!.subarray(0, 40 * one.K);
        if (one.half) a = float16.decodeArray(float16.encodeArray(a)); // what the float16 model is fed
        const got = await runMatMulNBits(node, one, a);
        const want = referenceMatMulNBits(one, a);
        expect(got.length).toBe(want.length);
        let scale = 0;
        let worst = 0;
        for (let i = 0; i < want.length; i++) {
          scale = Math.max(scale, Math.abs(want[i]!));
          worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        }
        expect(scale, m).toBeGreaterThan(0.1);
        expect(worst / scale, m).toBeLessThanOrEqual(e.maxRelativeError);
      }
    });

    it("loads and runs in onnxruntime-web (WASM, one thread) with no unsupported operator, reading what onnxruntime-node reads", async () => {
      for (const m of METHODS) {
        const bytes = models.get(m)!;
        const [w] = await readLines(web, bytes, [evalLines[0]!]);
        const [n] = await readLines(node, bytes, [evalLines[0]!]);
        expect(w, m).toBe(n);
      }
    });
  });
}
