// 4-bit weights on a real (tiny) language model: the fixture's perplexity through onnxruntime-node
// equals PyTorch's, and on held-out text GPTQ loses at most half of what round-to-nearest loses while
// HQQ loses less than it. The full table (AWQ, blocks of 128, layer-level MSE) is
// bench/languageModel.bench.ts.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { calibrationSamples, encode, perplexity, readTinyLm } from "../bench/_tinyLm";
import { collectMatMulInputs } from "../src/collectMatMulInputs";
import { ortEngine } from "../src/ortEngine";
import { quantizeMatMulNBits } from "../src/quantizeMatMulNBits";
import { readModel } from "../src/readModel";
import { writeModel } from "../src/writeModel";

const lm = readTinyLm();
const { context, stride } = lm.reference.evaluation;

describe("the tiny-lm fixture in onnxruntime-node", () => {
  it("has PyTorch's held-out perplexity (reference.json) to 1e-5", async () => {
    const ids = encode(lm.vocab, lm.heldout);
    const { perplexity: ppl, targets } = await perplexity(lm.bytes, ids, context, stride);
    expect(targets).toBe(lm.reference.evaluation.targets);
    expect(Math.abs(ppl - lm.reference.fp32Perplexity) / lm.reference.fp32Perplexity).toBeLessThan(1e-5);
  });
});

describe("quantizeMatMulNBits on the tiny-lm fixture (W4, blocks of 32, asymmetric)", () => {
  it("GPTQ loses at most half of RTN's perplexity increase; HQQ loses less than RTN", async () => {
    const model = readModel(lm.bytes);
    const calibration = encode(lm.vocab, lm.calibration);
    const activations = await collectMatMulInputs(model, {
      engine: ortEngine(ort),
      samples: calibrationSamples(calibration, 16, 128),
    });
    // 25 MatMuls with weights; q, k and v read one input, so 17 inputs.
    expect(activations.size).toBe(17);
    const text = encode(lm.vocab, [...lm.heldout].slice(0, 8192).join(""));
    const ppl = async (bytes: Uint8Array) => (await perplexity(bytes, text, context, stride)).perplexity;
    const fp32 = await ppl(lm.bytes);
    const loss = async (method: "rtn" | "gptq" | "hqq") => {
      const { model: q, report } = quantizeMatMulNBits(model, {
        method,
        blockSize: 32,
        symmetric: false,
        activations,
      });
      expect(report.nodes.filter((n) => n.quantized)).toHaveLength(25);
      return (await ppl(writeModel(q))) - fp32;
    };
    const rtn = await loss("rtn");
    const gptq = await loss("gptq");
    const hqq = await loss("hqq");
    expect(rtn).toBeGreaterThan(0.005); // 4 bits cost something measurable here
    expect(gptq).toBeLessThanOrEqual(rtn / 2);
    expect(hqq).toBeLessThan(rtn);
  });
});
