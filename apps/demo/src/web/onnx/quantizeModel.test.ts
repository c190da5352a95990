import { readFileSync } from "node:fs";
import {
  convertFloatToFloat16,
  type EngineFeeds,
  ortEngine,
  quantizeMatMulNBits,
  readModel,
  WEIGHT_ONLY_METHODS,
  writeModel,
} from "@quantkit/onnx";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { OCR_REC, TINY_LM } from "../../../test/onnxModels";
import { PAGE_MODES, Q4_BLOCK_SIZES, quantizeModel } from "./quantizeModel";

describe("the page's quantizeModel", () => {
  it("offers q4 and q4f16 beside fp16, q8 and int8, with MatMulNBits' block sizes", () => {
    expect(PAGE_MODES.map((m) => m.mode)).toEqual(["fp16", "q8", "int8", "q4", "q4f16"]);
    expect(Q4_BLOCK_SIZES).toEqual([16, 32, 64, 128, 256]);
    expect(WEIGHT_ONLY_METHODS).toEqual(["rtn", "gptq", "awq", "hqq"]);
  });

  it("q4 (gptq, blocks of 64) and q4f16 (hqq): the recogniser's MatMuls become MatMulNBits with the chosen block size and scale type, and onnxruntime runs the result", async () => {
    const model = readModel(new Uint8Array(readFileSync(OCR_REC)));
    const rng = new Rng(5);
    const samples = [0, 1].map(() => {
      const x = new Float32Array(3 * 48 * 160);
      rng.fillUniform(x, -1, 1);
      return { x: { type: "float32", data: x, dims: [1, 3, 48, 160] } } as EngineFeeds;
    });
    const engine = ortEngine(ort);
    for (const [mode, method, blockSize, scaleType] of [
      ["q4", "gptq", 64, 1],
      ["q4f16", "hqq", 32, 10],
    ] as const) {
      const r = await quantizeModel(model, mode, { perChannel: true, method, blockSize, engine, samples });
      const quantized = r.nodes.filter((n) => n.quantized);
      expect(quantized.length, mode).toBe(9);
      for (const n of quantized) expect(n.detail).toContain(`4-bit ${method}, blocks of ${blockSize}`);
      const nbits = r.model.graph!.node.filter((n) => n.opType === "MatMulNBits");
      for (const n of nbits) {
        expect(Number(n.attribute.find((a) => a.name === "block_size")!.i)).toBe(blockSize);
        expect(r.model.graph!.initializer.find((t) => t.name === n.input[2])!.dataType).toBe(scaleType);
      }
      expect(Object.values(r.outputSqnrDb ?? {}).every((db) => db > 10)).toBe(true);
      const session = await engine.createSession(writeModel(r.model));
      const out = Object.values(await session.run(samples[0]!))[0]!;
      expect([out.type, ...out.dims]).toEqual(["float32", 1, 20, 6625]);
      await session.release?.();
    }
  });

  it('q4 and q4f16 with opTypes ["MatMul", "Gather"]: the tiny LM\'s token embedding becomes GatherBlockQuantized (reported quantized, with its detail), the file is the size quantizeMatMulNBits gives in Node for the same options, smaller than MatMul only', async () => {
    const model = readModel(new Uint8Array(readFileSync(TINY_LM)));
    const rng = new Rng(7);
    const samples = [0, 1].map(() => {
      const ids = BigInt64Array.from({ length: 12 }, () => BigInt(Math.floor(rng.next() * 63)));
      return { input_ids: { type: "int64", data: ids, dims: [1, 12] } } as unknown as EngineFeeds;
    });
    const engine = ortEngine(ort);
    for (const [mode, method, blockSize] of [
      ["q4", "rtn", 32],
      ["q4f16", "hqq", 64],
    ] as const) {
      const scaleType = mode === "q4f16" ? "float16" : "float32";
      const matmulOnly = await quantizeModel(model, mode, {
        perChannel: true,
        method,
        blockSize,
        engine,
        samples,
      });
      const r = await quantizeModel(model, mode, {
        perChannel: true,
        method,
        blockSize,
        opTypes: ["MatMul", "Gather"],
        engine,
        samples,
      });
      const tok = (nodes: typeof r.nodes) => nodes.find((n) => n.name === "/tok/Gather")!;
      expect(tok(matmulOnly.nodes).quantized, mode).toBe(false);
      expect(tok(r.nodes).quantized, mode).toBe(true);
      expect(tok(r.nodes).detail).toMatch(
        new RegExp(
          `^GatherBlockQuantized: 4-bit ${method}\\b.*table \\[63, 128\\] in blocks of ${blockSize}`,
        ),
      );
      // The Gathers of Shape outputs are not embedding tables: they stay float, with the reason.
      expect(r.nodes.filter((n) => n.opType === "Gather" && n.quantized).map((n) => n.name)).toEqual([
        "/tok/Gather",
      ]);
      expect(r.nodes.filter((n) => n.quantized).length).toBe(
        matmulOnly.nodes.filter((n) => n.quantized).length + 1,
      );
      const gbq = r.model.graph!.node.filter((n) => n.opType === "GatherBlockQuantized");
      expect(gbq.map((n) => [n.domain, n.input[0] !== "tok.weight"])).toEqual([["com.microsoft", true]]);
      expect(Number(gbq[0]!.attribute.find((a) => a.name === "block_size")!.i)).toBe(blockSize);

      const node = quantizeMatMulNBits(model, {
        bits: 4,
        blockSize,
        method,
        scaleType,
        opTypes: ["MatMul", "Gather"],
      }).model;
      const expected = writeModel(mode === "q4f16" ? convertFloatToFloat16(node).model : node).length;
      const bytes = writeModel(r.model).length;
      expect(bytes, mode).toBe(expected);
      expect(bytes).toBeLessThan(writeModel(matmulOnly.model).length);
      expect(Number.isFinite(r.outputSqnrDb?.logits)).toBe(true);
      expect(r.outputSqnrDb!.logits!).toBeGreaterThan(10);
    }
  });
});
