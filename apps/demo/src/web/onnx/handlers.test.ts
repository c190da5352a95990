// The ONNX worker's jobs, run here in Node: onnxruntime-web's WASM backend (one thread) stands in for
// the worker's (ortWeb.ts resolves its .wasm through Vite).
import { readFileSync } from "node:fs";
import { convertFloatToFloat16, quantizeMatMulNBits, readModel, writeModel } from "@quantkit/onnx";
import { describe, expect, it, vi } from "vitest";
import { TINY_LM } from "../../../test/onnxModels";
import type { JobContext } from "../worker/dispatcher";
import { load, quantize } from "./handlers";
import type { QuantizeProgress } from "./jobs";
import { quantizeRequest } from "./quantizeRequest";

vi.mock("./ortWeb", async () => {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  return { ortWeb: () => ort };
});

const ctx: JobContext<QuantizeProgress> = {
  progress: () => {},
  cancelled: false,
  signal: new AbortController().signal,
  checkpoint: async () => {},
};

describe("the ONNX worker's quantize job", () => {
  it('q4 and q4f16 with "also quantize embedding tables": the tiny LM\'s token-embedding Gather comes back quantized, the file is the size quantizeMatMulNBits gives in Node and onnxruntime-web ran it', async () => {
    const bytes = new Uint8Array(readFileSync(TINY_LM));
    const summary = await load({ bytes, name: "model.onnx" });
    expect(summary.inputs.map((i) => [i.name, i.type])).toEqual([["input_ids", "int64"]]);
    const specs = [{ name: "input_ids", type: "int64", shape: [1, 16], fill: "constant" as const, value: 5 }];
    const float = readModel(bytes);
    for (const mode of ["q4", "q4f16"] as const) {
      const input = quantizeRequest({
        mode,
        perChannel: true,
        method: "rtn",
        blockSize: 32,
        embeddings: true,
        specs,
        calibrationSamples: 2,
      });
      const out = await quantize(input, ctx);
      expect(out.opTypes).toEqual(["MatMul", "Gather"]);
      const tok = out.nodes.find((n) => n.name === "/tok/Gather")!;
      expect([tok.opType, tok.quantized]).toEqual(["Gather", true]);
      expect(tok.detail).toMatch(/^GatherBlockQuantized: 4-bit rtn/);
      const node = quantizeMatMulNBits(float, {
        blockSize: 32,
        scaleType: mode === "q4f16" ? "float16" : "float32",
        opTypes: ["MatMul", "Gather"],
      }).model;
      const expected = writeModel(mode === "q4f16" ? convertFloatToFloat16(node).model : node);
      expect(out.sizeBytesAfter, mode).toBe(expected.length);
      expect(out.bytes.length).toBe(expected.length);
      expect(readModel(out.bytes).graph!.node.filter((n) => n.opType === "GatherBlockQuantized").length).toBe(
        1,
      );
      expect(out.outputSqnrDb.logits!, mode).toBeGreaterThan(10);
    }
    const q8 = await quantize(
      quantizeRequest({
        mode: "q8",
        perChannel: true,
        method: "rtn",
        blockSize: 32,
        embeddings: true,
        specs,
        calibrationSamples: 1,
      }),
      ctx,
    );
    expect(q8.opTypes).toBeUndefined();
  });
});
