import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import { quantizeStatic } from "../src/quantizeStatic";
import { readModel } from "../src/readModel";
import { toArray } from "../src/toArray";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";
import { graph, model, tensorInfo } from "./_models";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const rng = new Rng(21);
const randn = (n: number, s = 1) => new Float32Array(n).map(() => (rng.next() - 0.5) * 2 * s);

/** x[n,2,8,8] -> Conv(4, 3x3, bias) -> Relu -> Flatten -> Gemm(W[10,256] transB, C) -> y */
function cnn(opset = 13) {
  return model(
    graph({
      nodes: [
        _node("Conv", ["x", "W1", "B1"], ["c1"], "conv", [
          _attr("kernel_shape", [3, 3]),
          _attr("pads", [1, 1, 1, 1]),
        ]),
        _node("Relu", ["c1"], ["r1"], "relu"),
        _node("Flatten", ["r1"], ["f"], "flatten"),
        _node("Gemm", ["f", "W2", "B2"], ["y"], "fc", [_attr("transB", 1)]),
      ],
      inputs: [tensorInfo("x", 1, ["n", 2, 8, 8])],
      outputs: [tensorInfo("y", 1)],
      initializers: [
        fromArray(randn(4 * 2 * 9, 0.4), { dims: [4, 2, 3, 3], name: "W1" }),
        fromArray(randn(4, 0.2), { dims: [4], name: "B1" }),
        fromArray(randn(10 * 256, 0.1), { dims: [10, 256], name: "W2" }),
        fromArray(randn(10, 0.1), { dims: [10], name: "B2" }),
      ],
    }),
    opset,
  );
}
const samples = Array.from({ length: 8 }, () => ({
  x: { type: "float32", data: randn(128), dims: [1, 2, 8, 8] },
}));

describe("quantizeStatic (int8, QDQ)", () => {
  it("Conv + Relu (fused) and Gemm: QDQ on activations, per-channel weights, int32 bias with scale s_in * s_w", async () => {
    const m = cnn();
    const { model: q, report } = await quantizeStatic(m, { engine, samples });
    const ops = q.graph!.node.map((n) => n.opType);
    expect(ops).not.toContain("Relu"); // fused: the Q of the Conv output clamps at zero point 0
    expect(ops.filter((o) => o === "QuantizeLinear").length).toBe(4); // x, relu output, flatten output, y
    const byName = new Map(report.nodes.map((n) => [n.name, n]));
    expect(byName.get("conv")!.detail).toBe(
      "QDQ (uint8 activations, uint8 weights per channel (axis 0), int32 bias, Relu fused)",
    );
    expect(byName.get("relu")!.detail).toBe('fused into the output quantization of Conv "conv"');
    expect(byName.get("fc")!.detail).toBe(
      "QDQ (uint8 activations, uint8 weights per channel (axis 0), int32 bias)",
    );
    expect(byName.get("flatten")!.quantized).toBe(false);
    const init = new Map(q.graph!.initializer.map((t) => [t.name, t]));
    // the relu output's zero point is 0, and the bias codes are round(b / (s_x * s_w[c])), zero point 0
    expect(Array.from(toArray(init.get("r1_zero_point")!) as Uint8Array)).toEqual([0]);
    const sx = (toArray(init.get("x_scale")!) as Float32Array)[0]!;
    const sw = toArray(init.get("W1_scale")!) as Float32Array;
    const bq = toArray(init.get("B1_quantized")!) as Int32Array;
    const bs = toArray(init.get("B1_scale")!) as Float32Array;
    const b = toArray(m.graph!.initializer.find((t) => t.name === "B1")!) as Float32Array;
    for (let c = 0; c < 4; c++) {
      expect(bs[c]).toBe(Math.fround(sx * sw[c]!));
      expect(bq[c]).toBe(Math.round(Math.fround(b[c]! / bs[c]!)));
    }
    expect(init.has("W1")).toBe(false);
    // close to the float model, and the report measured it
    expect(report.evaluatedSamples).toBe(8);
    expect(report.outputSqnrDb!.y).toBeGreaterThan(25);
    expect(byName.get("conv")!.sqnrDb).toBeGreaterThan(25);
    expect(report.opsetAfter).toBe(13);
    const s = await ort.InferenceSession.create(writeModel(q));
    const out = await s.run({ x: new ort.Tensor("float32", randn(128), [1, 2, 8, 8]) });
    expect(out.y!.dims).toEqual([1, 10]);
  });

  it("per tensor and int8 weights: one scale, zero point 0; opset 11 upgraded to 13 only for per channel", async () => {
    const a = await quantizeStatic(cnn(11), {
      engine,
      samples,
      perChannel: false,
      weightType: "int8",
      evaluate: false,
    });
    const init = new Map(a.model.graph!.initializer.map((t) => [t.name, t]));
    expect(init.get("W1_scale")!.dims).toEqual([]);
    expect(Array.from(toArray(init.get("W1_zero_point")!) as Int8Array)).toEqual([0]);
    expect(a.report.opsetAfter).toBe(11);
    const b = await quantizeStatic(cnn(11), { engine, samples, evaluate: false });
    expect(b.report.opsetAfter).toBe(13);
  });

  it("refuses opset 9, samples that do not fit, unknown options; an op the engine cannot run fails calibration", async () => {
    await expect(quantizeStatic(cnn(9), { engine, samples })).rejects.toThrow(/imports opset 9, below 10/);
    const bad = [{ x: { type: "float32", data: randn(64), dims: [1, 1, 8, 8] } }];
    await expect(quantizeStatic(cnn(), { engine, samples: bad })).rejects.toThrow(
      /sample 0: input "x" has dims \[1, 1, 8, 8\], the graph fixes dimension 1 to 2/,
    );
    await expect(quantizeStatic(cnn(), { engine, samples, perchannel: false } as never)).rejects.toThrow(
      /unknown option "perchannel"/,
    );
    const m = cnn();
    m.graph!.node.push(_node("Mystery", ["y"], ["z"], "mystery", [], "com.example"));
    m.graph!.output.push(tensorInfo("z", 1));
    m.opsetImport.push({ ...m.opsetImport[0]!, domain: "com.example", version: 1n });
    await expect(quantizeStatic(m, { engine, samples })).rejects.toThrow(/Mystery/);
  });

  it("Silero VAD v5: Convs inside If branches get QDQ with ranges calibrated through the branch; it runs", async () => {
    const m = readModel(readFileSync(MODELS.sileroV5));
    const vadSamples = Array.from({ length: 4 }, (_, k) => ({
      input: {
        type: "float32",
        data: new Float32Array(512).map(
          (_, i) => 0.2 * Math.sin((i + 512 * k) / 7) + 0.01 * (rng.next() - 0.5),
        ),
        dims: [1, 512],
      },
      state: { type: "float32", data: new Float32Array(256), dims: [2, 1, 128] },
      sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] },
    }));
    const { model: q, report } = await quantizeStatic(m, { engine, samples: vadSamples });
    const convs = report.nodes.filter((n) => n.opType === "Conv");
    // the 16 kHz branch ran, so its 6 Convs have ranges; the 8 kHz branch never ran and stays float
    expect(convs.filter((n) => n.quantized).length).toBe(6);
    expect(convs.filter((n) => !n.quantized).every((n) => n.detail.includes("never computed"))).toBe(true);
    expect(report.evaluatedSamples).toBe(4); // accuracy on real speech: speech.test.ts
    const s = await ort.InferenceSession.create(writeModel(q));
    const r = await s.run({
      input: new ort.Tensor("float32", new Float32Array(512), [1, 512]),
      state: new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor("int64", BigInt64Array.of(16000n), []),
    });
    expect(r.output!.dims).toEqual([1, 1]);
  });
});
