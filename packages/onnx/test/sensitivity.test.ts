// Leave-one-out sensitivity: the node whose quantization hurts the outputs most comes first, each
// figure equals the SQNR of the model quantized with that node excluded (measured independently), and
// bad options are named.
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { ModelProto } from "../src/_gen/onnx_pb";
import { _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import type { EngineFeeds } from "../src/InferenceEngine";
import { ortEngine } from "../src/ortEngine";
import { quantizeDynamic } from "../src/quantizeDynamic";
import { quantizeStatic } from "../src/quantizeStatic";
import { sensitivity } from "../src/sensitivity";
import { writeModel } from "../src/writeModel";
import { graph, model, tensorInfo } from "./_models";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const rng = new Rng(7);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

/**
 * x[n,16] -> MatMul "easy" (W1 [16,16], well spread) -> MatMul "hard" (W2 [16,16] with one weight 400x the
 * rest, so a per-tensor scale rounds every other weight of it to 0 or 1 code) -> MatMul "last" -> y.
 */
function chain(): ModelProto {
  const w1 = randn(256, 0.5);
  const w2 = randn(256, 0.05);
  w2[17] = 20;
  const w3 = randn(256, 0.5);
  return model(
    graph({
      nodes: [
        _node("MatMul", ["x", "W1"], ["h1"], "easy"),
        _node("MatMul", ["h1", "W2"], ["h2"], "hard"),
        _node("MatMul", ["h2", "W3"], ["y"], "last"),
      ],
      inputs: [tensorInfo("x", 1, ["n", 16])],
      outputs: [tensorInfo("y", 1)],
      initializers: [
        fromArray(w1, { dims: [16, 16], name: "W1" }),
        fromArray(w2, { dims: [16, 16], name: "W2" }),
        fromArray(w3, { dims: [16, 16], name: "W3" }),
      ],
    }),
    13,
  );
}

const samples: EngineFeeds[] = Array.from({ length: 8 }, () => ({
  x: { type: "float32", data: randn(4 * 16), dims: [4, 16] },
}));

/** SQNR (dB) of y in `q` against the float model, over `samples`. */
async function outputSqnr(float: ModelProto, q: ModelProto): Promise<number> {
  const [a, b] = [await engine.createSession(writeModel(float)), await engine.createSession(writeModel(q))];
  let s = 0;
  let e = 0;
  for (const x of samples) {
    const f = (await a.run(x)).y!.data as Float32Array;
    const g = (await b.run(x)).y!.data as Float32Array;
    for (let i = 0; i < f.length; i++) {
      s += f[i]! ** 2;
      e += (f[i]! - g[i]!) ** 2;
    }
  }
  return 10 * Math.log10(s / e);
}

describe("sensitivity", () => {
  const m = chain();

  it("q8 per tensor: the outlier weight's MatMul comes first, and each figure is that exclusion's output SQNR", async () => {
    const r = await sensitivity(m, { engine, mode: "q8", samples, quantizeOptions: { perChannel: false } });
    expect(r.nodes.map((n) => n.node).sort()).toEqual(["easy", "hard", "last"]);
    expect(r.nodes[0]!.node).toBe("hard");
    expect(r.nodes[0]!.gainDb).toBeGreaterThan(3);
    const all = await outputSqnr(m, quantizeDynamic(m, { perChannel: false }).model);
    expect(r.baselineSqnrDb).toBeCloseTo(all, 6);
    for (const n of r.nodes) {
      const q = quantizeDynamic(m, { perChannel: false, exclude: [n.node] }).model;
      expect(n.outputSqnrDb).toBeCloseTo(await outputSqnr(m, q), 6);
      expect(n.gainDb).toBeCloseTo(n.outputSqnrDb - r.baselineSqnrDb, 9);
    }
    for (let i = 1; i < r.nodes.length; i++)
      expect(r.nodes[i - 1]!.gainDb).toBeGreaterThanOrEqual(r.nodes[i]!.gainDb);
  });

  it("int8 calibrates once and matches quantizeStatic with the same exclusion; exclude in quantizeOptions stays excluded", async () => {
    const r = await sensitivity(m, {
      engine,
      mode: "int8",
      samples,
      quantizeOptions: { perChannel: false, exclude: ["easy"] },
    });
    expect(r.nodes.map((n) => n.node).sort()).toEqual(["hard", "last"]);
    expect(r.nodes[0]!.node).toBe("hard");
    const q = await quantizeStatic(m, {
      engine,
      samples,
      perChannel: false,
      exclude: ["easy", "hard"],
      evaluate: false,
    });
    expect(r.nodes[0]!.outputSqnrDb).toBeCloseTo(await outputSqnr(m, q.model), 6);
  });

  it("names bad options", async () => {
    await expect(sensitivity(m, { engine, mode: "q4" as never, samples })).rejects.toThrow(
      /sensitivity: mode must be "int8" or "q8", got "q4"/,
    );
    await expect(sensitivity(m, { engine, mode: "q8", samples: [] })).rejects.toThrow(/samples is empty/);
    await expect(sensitivity(m, { engine, mode: "q8", samples, outputs: ["z"] })).rejects.toThrow(
      /outputs: the model has no output "z" \(it has y\)/,
    );
    await expect(sensitivity(m, { engine, mode: "q8", samples, budget: 3 } as never)).rejects.toThrow(
      /budget/,
    );
  });
});

describe("quantizeStatic with calibration", () => {
  it("reuses given ranges: the same model as calibrating again, and a bad value is named", async () => {
    const m = chain();
    const a = await quantizeStatic(m, { engine, samples, evaluate: false });
    const { calibrate } = await import("../src/calibrate");
    const calibration = await calibrate(m, { engine, samples, tensors: ["x", "h1", "h2", "y"] });
    const b = await quantizeStatic(m, { engine, samples: [], evaluate: false, calibration });
    expect(writeModel(b.model)).toEqual(writeModel(a.model));
    await expect(
      quantizeStatic(m, { engine, samples, calibration: { ranges: {} } as never }),
    ).rejects.toThrow(/quantizeStatic: calibration must be what calibrate\(\) returns/);
  });
});
