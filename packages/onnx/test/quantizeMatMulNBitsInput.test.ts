// quantizeMatMulNBits copies its input sharing the tensors' raw_data and reads float32 weights as views of
// it when aligned: the input must come out as it went in, whatever the method, format and alignment.
import { Rng } from "@quantkit/tensor";
import { describe, expect, it } from "vitest";
import { _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const rng = new Rng(23);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

describe("quantizeMatMulNBits leaves its input model as it was", () => {
  it("each method and format: the input writes the same bytes after, kept tensors share its raw_data, and where raw_data lies in memory changes no output byte", () => {
    const K = 64;
    // LayerNormalization -> two MatMuls (AWQ folds 1/s into gamma and beta) and a bias Add kept float
    const m = model(
      graph({
        nodes: [
          _node("LayerNormalization", ["x", "gamma", "beta"], ["h"], "ln"),
          _node("MatMul", ["h", "Wa"], ["ha"], "a"),
          _node("Add", ["ha", "bias"], ["ya"], "add"),
          _node("MatMul", ["h", "Wb"], ["yb"], "b"),
        ],
        inputs: [tensorInfo("x", 1, ["n", K])],
        outputs: [tensorInfo("ya", 1), tensorInfo("yb", 1)],
        initializers: [
          fromArray(
            randn(K).map((v) => 1 + v / 2),
            { dims: [K], name: "gamma" },
          ),
          fromArray(randn(K, 0.2), { dims: [K], name: "beta" }),
          fromArray(randn(K * 32, 0.3), { dims: [K, 32], name: "Wa" }),
          fromArray(randn(32), { dims: [32], name: "bias" }),
          fromArray(randn(K * 48, 0.3), { dims: [K, 48], name: "Wb" }),
        ],
      }),
      21,
    );
    const bytes = writeModel(m);
    const activations = new Map([["h", randn(256 * K).map((v, i) => (i % K < 4 ? 8 * v : v))]]);
    for (const format of ["MatMulNBits", "QDQ"] as const) {
      for (const method of ["rtn", "gptq", "awq", "hqq"] as const) {
        const outputs: Uint8Array[] = [];
        // raw_data at each byte offset mod 4: weights read as views of it, or copied when unaligned
        for (let offset = 0; offset < 4; offset++) {
          const shifted = new Uint8Array(bytes.length + offset);
          shifted.set(bytes, offset);
          const input = readModel(shifted.subarray(offset));
          const { model: q } = quantizeMatMulNBits(input, { method, format, activations, blockSize: 16 });
          expect(writeModel(input), `${method} ${format} offset ${offset}`).toEqual(bytes);
          const bias = (g: typeof q) => g.graph!.initializer.find((t) => t.name === "bias")!.rawData;
          expect(bias(q)).toBe(bias(input)); // the same bytes, not a copy
          outputs.push(writeModel(q));
        }
        for (const out of outputs.slice(1)) expect(out).toEqual(outputs[0]);
      }
    }
  });
});
