import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { convertFloatToFloat16 } from "../src/convertFloatToFloat16";
import { evaluateQuantization } from "../src/evaluateQuantization";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import type { QuantizationReport } from "../src/quantizationReport";
import { graph, model, tensorInfo } from "./_models";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

/** x -> If(cond, then: x * a -> t, else: x * b -> e) -> y */
function ifModel(a: number, b: number) {
  const branch = (name: string, out: string, factor: number) =>
    graph({
      name,
      nodes: [_node("Mul", ["x", `${name}_k`], [out], `mul_${name}`)],
      inputs: [],
      outputs: [tensorInfo(out, 1)],
      initializers: [fromArray(Float32Array.of(factor), { dims: [], name: `${name}_k` })],
    });
  return model(
    graph({
      nodes: [
        _node("If", ["cond"], ["y"], "if", [
          _attr("then_branch", branch("then", "t", a)),
          _attr("else_branch", branch("else", "e", b)),
        ]),
      ],
      inputs: [tensorInfo("x", 1, ["n"]), tensorInfo("cond", 9, [])],
      outputs: [tensorInfo("y", 1)],
    }),
  );
}

const sample = (x: number[], cond: boolean) => ({
  x: { type: "float32", data: Float32Array.from(x), dims: [x.length] },
  cond: { type: "bool", data: Uint8Array.of(cond ? 1 : 0), dims: [] },
});

/** A report naming the two Mul nodes as quantized, measured on their outputs t and e. */
function report(): QuantizationReport {
  const node = (name: string, graphPath: string, tensor: string) => ({
    name,
    opType: "Mul",
    graph: graphPath,
    quantized: true,
    detail: "test",
    tensor,
  });
  return {
    mode: "q8",
    sizeBytesBefore: 0,
    sizeBytesAfter: 0,
    opsetBefore: 13,
    opsetAfter: 13,
    nodes: [node("mul_then", "main/if.then_branch", "t"), node("mul_else", "main/if.else_branch", "e")],
  };
}

// Float: t = 2x, e = -3x. "Quantized": t = 2.25x (SQNR 10 log10(4 / 0.0625) = 10 log10 64), e = -3.5x
// (10 log10(9 / 0.25) = 10 log10 36); every product is exact in float32.
const float = ifModel(2, -3);
const quantized = ifModel(2.25, -3.5);

describe("evaluateQuantization", () => {
  it("gives no figure to a tensor in an If branch no sample took (not 'exact'), and a known SQNR to the one taken", async () => {
    const r = report();
    const done: number[] = [];
    await evaluateQuantization(float, quantized, r, {
      engine,
      samples: [sample([1, -2, 0.5], true), sample([4], true)],
      onProgress: (n) => done.push(n),
    });
    expect(r.nodes[0]!.sqnrDb).toBeCloseTo(10 * Math.log10(64), 10);
    expect(r.nodes[1]!.sqnrDb).toBeUndefined(); // was Infinity ("exact") before
    expect("sqnrDb" in r.nodes[1]!).toBe(false);
    expect(r.outputSqnrDb).toEqual({ y: r.nodes[0]!.sqnrDb });
    expect(r.evaluatedSamples).toBe(2);
    expect(done).toEqual([1, 2]);
  });

  it("sums each branch over the samples that took it", async () => {
    const r = report();
    await evaluateQuantization(float, quantized, r, {
      engine,
      samples: [sample([1, -2], true), sample([3, 0.5], false), sample([-1], true)],
    });
    expect(r.nodes[0]!.sqnrDb).toBeCloseTo(10 * Math.log10(64), 10);
    expect(r.nodes[1]!.sqnrDb).toBeCloseTo(10 * Math.log10(36), 10);
    // y: signal 4 (1 + 4 + 1) + 9 (9 + 0.25), noise 0.0625 * 6 + 0.25 * 9.25
    const signal = 4 * 6 + 9 * 9.25;
    const noise = 0.0625 * 6 + 0.25 * 9.25;
    expect(r.outputSqnrDb!.y).toBeCloseTo(10 * Math.log10(signal / noise), 10);
    // a tensor equal in both models where it ran is exact (Infinity), not "not computed"
    const same = report();
    await evaluateQuantization(float, float, same, { engine, samples: [sample([1], true)] });
    expect(same.nodes[0]!.sqnrDb).toBe(Number.POSITIVE_INFINITY);
    expect(same.nodes[1]!.sqnrDb).toBeUndefined();
  });

  it("fills a float16 report's output SQNR, and stops between samples on its signal", async () => {
    const { model: half, report: fp16 } = convertFloatToFloat16(float);
    await evaluateQuantization(float, half, fp16, { engine, samples: [sample([1, 0.5], true)] });
    expect(fp16.outputSqnrDb).toEqual({ y: Number.POSITIVE_INFINITY }); // 2x is exact in float16 here
    expect(fp16.evaluatedSamples).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      evaluateQuantization(float, quantized, report(), {
        engine,
        samples: [sample([1], true)],
        signal: controller.signal,
      }),
    ).rejects.toThrow(/evaluateQuantization: stopped after 0 samples/);
    await expect(
      evaluateQuantization(float, quantized, report(), { engine, samples: [], batch: 1 } as never),
    ).rejects.toThrow(/unknown option "batch"/);
  });
});
