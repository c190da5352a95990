import { readFileSync } from "node:fs";
import { type EngineFeeds, ortEngine, readModel, WEIGHT_ONLY_METHODS, writeModel } from "@quantkit/onnx";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { OCR_REC } from "../../../test/onnxModels";
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
});
