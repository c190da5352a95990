import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type QuantizationReport,
  readModel,
  WEIGHT_ONLY_METHODS,
  WEIGHT_ONLY_OP_TYPES,
} from "@quantkit/onnx";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../../test/_cli";
import { OCR_REC, SILERO_V5, TINY_LM } from "../../../test/onnxModels";
import { npyBytes } from "../_npyBytes";
import { Q4_METHODS, Q4_OP_TYPES } from "./quantizeOptions";
import type { OnnxQuantizeJson } from "./quantizeReport";

let dir = "";
let samples = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "quantkit-onnx-q4-"));
  samples = join(dir, "lines");
  await mkdir(samples);
  const rng = new Rng(3);
  for (let i = 0; i < 2; i++) {
    const x = new Float32Array(3 * 48 * 320);
    rng.fillUniform(x, -1, 1);
    await writeFile(join(samples, `line${i}.npy`), npyBytes("<f4", [1, 3, 48, 320], x));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quantkit onnx quantize --mode q4", () => {
  it("offers @quantkit/onnx's weight-only methods and op types", () => {
    expect([...Q4_METHODS]).toEqual([...WEIGHT_ONLY_METHODS]);
    expect([...Q4_OP_TYPES]).toEqual([...WEIGHT_ONLY_OP_TYPES]);
  });

  it("--op-types MatMul,Gather: the tiny-lm fixture's token embedding becomes GatherBlockQuantized, the file is smaller and runs in onnxruntime-node", async () => {
    const results: Record<string, OnnxQuantizeJson & { report: QuantizationReport }> = {};
    for (const [name, extra] of [
      ["matmul", []],
      ["gather", ["--op-types", "MatMul,Gather"]],
    ] as const) {
      const target = join(dir, `tiny-lm.${name}.onnx`);
      const r = await cli("onnx", "quantize", TINY_LM, "--mode", "q4", "-o", target, "--json", ...extra);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      results[name] = JSON.parse(r.out);
    }
    const { matmul, gather } = results as Record<string, OnnxQuantizeJson & { report: QuantizationReport }>;
    expect(matmul!.opTypes).toEqual(["MatMul"]);
    expect(gather!.opTypes).toEqual(["MatMul", "Gather"]);
    const tok = (j: typeof matmul) => j!.report.nodes.find((n) => n.name === "/tok/Gather")!;
    expect(tok(matmul).quantized).toBe(false);
    expect(tok(gather).quantized).toBe(true);
    expect(tok(gather).detail).toMatch(/^GatherBlockQuantized: 4-bit rtn/);
    expect(matmul!.fileBytesAfter - gather!.fileBytesAfter).toBeGreaterThan(26_000);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, "tiny-lm.gather.onnx")));
    const ids = new ort.Tensor("int64", BigInt64Array.from([1n, 2n, 3n, 4n]), [1, 4]);
    const logits = (await session.run({ input_ids: ids })).logits!;
    expect(logits.dims).toEqual([1, 4, 63]);
    expect((logits.data as Float32Array).every(Number.isFinite)).toBe(true);
    await session.release();
  });

  it("the PP-OCRv4 recogniser: 9 MatMuls become MatMulNBits, the file loads and runs in onnxruntime-node; gptq's output SQNR beats rtn's", async () => {
    const results: Record<string, OnnxQuantizeJson & { report: QuantizationReport }> = {};
    for (const method of ["rtn", "gptq"]) {
      const target = join(dir, `rec.${method}.onnx`);
      const r = await cli(
        "onnx",
        "quantize",
        OCR_REC,
        "--mode",
        "q4",
        "--method",
        method,
        "--block-size",
        "32",
        "-o",
        target,
        "--calibration",
        samples,
        "--json",
      );
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
      results[method] = json;
      expect(json.blockSize).toBe(32);
      expect(json.method).toBe(method);
      const q = json.report.nodes.filter((n) => n.quantized);
      expect(q.length).toBe(9);
      expect(q.every((n) => n.opType === "MatMul" && n.detail.startsWith("MatMulNBits"))).toBe(true);
      expect(json.fileBytesAfter).toBe(readFileSync(target).length);
      const session = await ort.InferenceSession.create(readFileSync(target));
      const out = await session.run({
        x: new ort.Tensor("float32", new Float32Array(3 * 48 * 320), [1, 3, 48, 320]),
      });
      expect(out[session.outputNames[0]!]!.dims).toEqual([1, 40, 6625]);
      await session.release();
    }
    expect(results.gptq!.outputSqnrDb["softmax_11.tmp_0"]!).toBeGreaterThan(
      results.rtn!.outputSqnrDb["softmax_11.tmp_0"]!,
    );
  });

  it("--mode q4f16 --method awq: float16 scales and compute, float32 inputs and outputs; the file loads and runs in onnxruntime-node", async () => {
    const target = join(dir, "rec.q4f16.onnx");
    const r = await cli(
      "onnx",
      "quantize",
      OCR_REC,
      "--mode",
      "q4f16",
      "--method",
      "awq",
      "-o",
      target,
      "--calibration",
      samples,
      "--json",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as OnnxQuantizeJson & { report: QuantizationReport };
    expect([json.mode, json.method, json.blockSize, json.report.mode]).toEqual(["q4f16", "awq", 32, "q4f16"]);
    const q = json.report.nodes.filter((n) => n.quantized);
    expect(q.length).toBe(9);
    expect(q.every((n) => /^MatMulNBits: 4-bit awq, blocks of 32, .*float16 scales/.test(n.detail))).toBe(
      true,
    );
    const model = readModel(readFileSync(target));
    const g = model.graph!;
    const nbits = g.node.filter((n) => n.opType === "MatMulNBits");
    expect(nbits.length).toBe(9);
    for (const n of nbits) expect(g.initializer.find((t) => t.name === n.input[2])!.dataType).toBe(10);
    expect(g.initializer.filter((t) => t.dataType === 1 && t.dims.length > 1)).toEqual([]); // no float32 weight left
    const session = await ort.InferenceSession.create(readFileSync(target));
    const out = await session.run({
      x: new ort.Tensor("float32", new Float32Array(3 * 48 * 320), [1, 3, 48, 320]),
    });
    const y = out[session.outputNames[0]!]!;
    expect([y.type, ...y.dims]).toEqual(["float32", 1, 40, 6625]);
    expect((y.data as Float32Array).every(Number.isFinite)).toBe(true);
    await session.release();
    expect(json.outputSqnrDb["softmax_11.tmp_0"]!).toBeGreaterThan(10);
  });

  it("usage errors exit 2: a block size that is no power of two, q4 flags on q8, gptq without samples, per-channel on q4", async () => {
    const out = join(dir, "usage");
    await mkdir(out);
    const o = join(out, "x.onnx");
    for (const argv of [
      ["--mode", "q4", "--block-size", "48"],
      ["--mode", "q4", "--block-size", "512"],
      ["--mode", "q8", "--block-size", "32"],
      ["--mode", "q8", "--method", "rtn"],
      ["--mode", "q4", "--method", "gptq"],
      ["--mode", "q4", "--method", "awq"],
      ["--mode", "q4", "--method", "sgd"],
      ["--mode", "q4", "--per-channel"],
      ["--mode", "q4f16", "--no-per-channel"],
      ["--mode", "q4f16", "--method", "awq"],
      ["--mode", "fp16", "--block-size", "32"],
      ["--mode", "q4", "--op-types", "MatMul,Conv"],
      ["--mode", "q4", "--op-types", ","],
      ["--mode", "q8", "--op-types", "Gather"],
    ]) {
      const r = await cli("onnx", "quantize", SILERO_V5, "-o", o, ...argv);
      expect(r.code, argv.join(" ")).toBe(2);
    }
    expect(await readdir(out)).toEqual([]);
  });
});
