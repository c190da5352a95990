import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { fromArray } from "../src/fromArray";
import { INT8_DEFAULT_OP_TYPES } from "../src/int8OpTypes";
import { ortEngine } from "../src/ortEngine";
import { quantizeStatic } from "../src/quantizeStatic";
import { readModel } from "../src/readModel";
import { toArray } from "../src/toArray";
import { writeModel } from "../src/writeModel";
import { MODELS } from "./_fixtures";
import { graph, model, tensorInfo } from "./_models";
import { optimizedOps } from "./_optimizedOps";

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

/**
 * A MobileNetV3 block as paddle2onnx writes it: Conv -> hard-swish (Add 3, Clip 0..6, Mul, Div 6) ->
 * squeeze-excite (GlobalAveragePool, Conv, Sigmoid, Mul) -> Conv -> residual Add -> Conv -> an Add whose
 * output only a float ReduceMean reads.
 */
function mobileBlock() {
  const conv = (x: string, w: string, b: string, y: string, k: number) =>
    _node("Conv", [x, w, b], [y], y, [
      _attr("kernel_shape", [k, k]),
      _attr("pads", k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]),
    ]);
  const scalar = (name: string, v: number) => fromArray(Float32Array.of(v), { dims: [], name });
  return model(
    graph({
      nodes: [
        conv("x", "W0", "B0", "c0", 3),
        _node("Add", ["c0", "three"], ["a"], "hs_add"),
        _node("Clip", ["a", "zero", "six"], ["cl"], "hs_clip"),
        _node("Mul", ["c0", "cl"], ["m"], "hs_mul"),
        _node("Div", ["m", "six"], ["hs"], "hs_div"),
        _node("GlobalAveragePool", ["hs"], ["g"], "gap"),
        conv("g", "Ws", "Bs", "se", 1),
        _node("Sigmoid", ["se"], ["sg"], "sig"),
        _node("Mul", ["hs", "sg"], ["e"], "excite"),
        conv("e", "W1", "B1", "c1", 1),
        _node("Add", ["c1", "hs"], ["r"], "residual"),
        conv("r", "W2", "B2", "c2", 1),
        _node("Add", ["c2", "shift"], ["t"], "tail"),
        _node("ReduceMean", ["t"], ["y"], "rm", [_attr("axes", [1])]),
      ],
      inputs: [tensorInfo("x", 1, [1, 4, 8, 8])],
      outputs: [tensorInfo("y", 1)],
      initializers: [
        fromArray(randn(8 * 4 * 9, 0.5), { dims: [8, 4, 3, 3], name: "W0" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "B0" }),
        fromArray(randn(8 * 8, 0.5), { dims: [8, 8, 1, 1], name: "Ws" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "Bs" }),
        fromArray(randn(8 * 8, 0.5), { dims: [8, 8, 1, 1], name: "W1" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "B1" }),
        fromArray(randn(8 * 8, 0.5), { dims: [8, 8, 1, 1], name: "W2" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "B2" }),
        fromArray(randn(8, 0.3), { dims: [1, 8, 1, 1], name: "shift" }),
        scalar("three", 3),
        scalar("zero", 0),
        scalar("six", 6),
      ],
    }),
  );
}
const blockSamples = Array.from({ length: 8 }, () => ({
  x: { type: "float32", data: randn(256, 2), dims: [1, 4, 8, 8] },
}));

describe("quantizeStatic: the QDQ layout onnxruntime fuses", () => {
  it("hard-swish, squeeze-excite and residual run as QLinear ops; Clip and Div go into the requantization", async () => {
    const m = mobileBlock();
    const opTypes = [...INT8_DEFAULT_OP_TYPES, "Add", "Mul"];
    const { model: q, report } = await quantizeStatic(m, { engine, samples: blockSamples, opTypes });
    const byName = new Map(report.nodes.map((n) => [n.name, n]));
    expect(byName.get("hs_add")!.detail).toBe("QDQ (uint8 activations, uint8 constant, Clip fused)");
    expect(byName.get("hs_mul")!.detail).toBe("QDQ (uint8 activations, Div fused)");
    for (const n of ["hs_clip", "hs_div"]) expect(byName.get(n)!.detail).toMatch(/^fused into the output/);
    for (const n of ["gap", "sig", "excite", "residual"]) expect(byName.get(n)!.quantized).toBe(true);
    // only a float ReduceMean reads the tail Add: a QDQ there would only add a DequantizeLinear
    expect(byName.get("tail")!.detail).toBe('its output goes to ReduceMean "rm", which stays float');
    const ops = q.graph!.node.map((n) => n.opType);
    expect(ops).not.toContain("Clip");
    expect(ops).not.toContain("Div");
    // Div by 6 absorbed: the Mul output's QuantizeLinear has 6x the scale its DequantizeLinear reads
    const init = new Map(q.graph!.initializer.map((t) => [t.name, t]));
    const ds = (toArray(init.get("hs_scale")!) as Float32Array)[0]!;
    const qs = (toArray(init.get("hs_quantize_scale")!) as Float32Array)[0]!;
    expect(qs).toBe(Math.fround(ds * 6));
    // the constant 3 of the Add is stored exactly: uint8 code 255 with scale 3 / 255
    const three = toArray(init.get("three_quantized")!) as Uint8Array;
    const threeScale = (toArray(init.get("three_scale")!) as Float32Array)[0]!;
    expect(three[0]! * threeScale).toBeCloseTo(3, 6);
    expect(report.outputSqnrDb!.y).toBeGreaterThan(20);
    // what onnxruntime-node 1.30 makes of it: every op of the block fused, one float Add (tail) left
    const opt = await optimizedOps(writeModel(q));
    for (const op of [
      "QLinearAdd",
      "QLinearMul",
      "QLinearGlobalAveragePool",
      "QLinearSigmoid",
      "QLinearConv",
    ])
      expect(opt.get(op) ?? 0, op).toBeGreaterThan(0);
    for (const op of ["Mul", "Clip", "Div", "Sigmoid", "GlobalAveragePool"])
      expect(opt.get(op), op).toBeUndefined();
    expect(opt.get("Add")).toBe(1);
  });

  it("by default Add and Mul stay float, and so do the nodes they cut off; fuseRelu false keeps Clip and Div; unknown op types are refused", async () => {
    const m = mobileBlock();
    const d = await quantizeStatic(m, { engine, samples: blockSamples, evaluate: false });
    const byName = new Map(d.report.nodes.map((n) => [n.name, n]));
    expect(byName.get("hs_add")!.detail).toMatch(
      /^int8 does not quantize Add \(it quantizes Conv, MatMul, Gemm, AveragePool/,
    );
    expect(byName.get("gap")!.detail).toBe("no input comes from a quantized node");
    expect(byName.get("sig")!.detail).toBe('its output goes to Mul "excite", which stays float');
    expect(d.report.nodes.filter((n) => n.quantized).map((n) => n.opType)).toEqual([
      "Conv",
      "Conv",
      "Conv",
      "Conv",
    ]);
    const opTypes = ["Conv", "Add", "Mul", "Sigmoid", "GlobalAveragePool"];
    const b = await quantizeStatic(m, {
      engine,
      samples: blockSamples,
      opTypes,
      fuseRelu: false,
      evaluate: false,
    });
    const ops = b.model.graph!.node.map((n) => n.opType);
    expect(ops).toContain("Clip");
    expect(ops).toContain("Div");
    await expect(
      quantizeStatic(m, { engine, samples: blockSamples, opTypes: ["Conv", "HardSigmoid"] }),
    ).rejects.toThrow(
      /opTypes: int8 cannot quantize "HardSigmoid" \(it quantizes Conv, MatMul, Gemm, Add, Mul/,
    );
  });
});

/**
 * x[1,4,8,8] -> Conv 3x3 -> Relu -> depthwise Conv 3x3 (group 8, weight [8,1,3,3]) -> `after` ->
 * grouped Conv 3x3 (group 2, 4 channels per group: not depthwise) -> Conv 1x1 -> y
 */
function depthwiseNet(after: "Relu" | "Sigmoid") {
  const conv = (x: string, w: string, b: string, y: string, k: number, group: number) =>
    _node("Conv", [x, w, b], [y], y, [
      _attr("kernel_shape", [k, k]),
      _attr("pads", k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]),
      _attr("group", group),
    ]);
  return model(
    graph({
      nodes: [
        conv("x", "W0", "B0", "c0", 3, 1),
        _node("Relu", ["c0"], ["r0"], "relu0"),
        conv("r0", "Wd", "Bd", "dw", 3, 8),
        _node(after, ["dw"], ["a"], "act"),
        conv("a", "Wg", "Bg", "grouped", 3, 2),
        conv("grouped", "W1", "B1", "y", 1, 1),
      ],
      inputs: [tensorInfo("x", 1, [1, 4, 8, 8])],
      outputs: [tensorInfo("y", 1)],
      initializers: [
        fromArray(randn(8 * 4 * 9, 0.5), { dims: [8, 4, 3, 3], name: "W0" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "B0" }),
        fromArray(randn(8 * 9, 0.5), { dims: [8, 1, 3, 3], name: "Wd" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "Bd" }),
        fromArray(randn(8 * 4 * 9, 0.5), { dims: [8, 4, 3, 3], name: "Wg" }),
        fromArray(randn(8, 0.3), { dims: [8], name: "Bg" }),
        fromArray(randn(4 * 8, 0.5), { dims: [4, 8, 1, 1], name: "W1" }),
        fromArray(randn(4, 0.3), { dims: [4], name: "B1" }),
      ],
    }),
  );
}

describe("quantizeStatic: depthwise Convs (options.depthwise)", () => {
  it('"float" keeps the depthwise Conv float and "weights" stores its weight as codes + DequantizeLinear; onnxruntime runs a float Conv there', async () => {
    const m = depthwiseNet("Sigmoid");
    const run = (depthwise?: "qdq" | "float" | "weights") =>
      quantizeStatic(m, { engine, samples: blockSamples, ...(depthwise ? { depthwise } : {}) });
    const qdq = await run();
    const float = await run("float");
    const weights = await run("weights");
    const dw = (r: typeof qdq) => r.report.nodes.find((n) => n.name === "dw")!;
    expect(dw(qdq).detail).toBe("QDQ (uint8 activations, uint8 weights per channel (axis 0), int32 bias)");
    expect(dw(float)).toMatchObject({
      quantized: false,
      detail: "depthwise Conv kept float by options.depthwise",
    });
    expect(dw(weights)).toMatchObject({
      quantized: true,
      detail: "uint8 weights per channel (axis 0) + DequantizeLinear, float Conv (options.depthwise)",
    });
    for (const r of [float, weights]) {
      // the grouped Conv has 4 input channels per group: not depthwise, still QDQ
      expect(r.report.nodes.find((n) => n.name === "grouped")!.detail).toMatch(/^QDQ/);
      expect(r.report.outputSqnrDb!.y).toBeGreaterThan(25);
      // nothing quantizes the depthwise output: its reader, the Sigmoid, stays float
      expect(r.model.graph!.node.filter((n) => n.input.includes("dw")).map((n) => n.opType)).toEqual([
        "Sigmoid",
      ]);
    }
    const init = (r: typeof qdq) => new Map(r.model.graph!.initializer.map((t) => [t.name, t]));
    expect(init(float).get("Wd")!.dataType).toBe(1);
    expect(init(weights).has("Wd")).toBe(false);
    expect(init(weights).get("Wd_quantized")!.dims.map(Number)).toEqual([8, 1, 3, 3]);
    expect(init(weights).get("Bd")!.dataType).toBe(1); // the bias stays float32
    const ops = async (r: typeof qdq) => (await optimizedOps(writeModel(r.model))).get("QLinearConv");
    expect(await ops(qdq)).toBe(4);
    expect(await ops(float)).toBe(3);
    expect(await ops(weights)).toBe(3);
  });

  it("a depthwise Conv between quantized nodes, through Relu only, is written QDQ anyway: onnxruntime would quantize it per tensor", async () => {
    const r = await quantizeStatic(depthwiseNet("Relu"), {
      engine,
      samples: blockSamples,
      depthwise: "float",
      evaluate: false,
    });
    const dw = r.report.nodes.find((n) => n.name === "dw")!;
    expect(dw.quantized).toBe(true);
    expect(dw.detail).toMatch(
      /^QDQ \(uint8 activations, uint8 weights per channel \(axis 0\), int32 bias, Relu fused\) despite options\.depthwise: /,
    );
    const init = new Map(r.model.graph!.initializer.map((t) => [t.name, t]));
    expect(init.get("Wd_scale")!.dims.map(Number)).toEqual([8]); // per channel, ours
    // the same float Conv written as options.depthwise asked: onnxruntime-node makes it a QLinearConv
    const floatDw = depthwiseNet("Relu");
    const q = (
      await quantizeStatic(floatDw, { engine, samples: blockSamples, exclude: ["dw"], evaluate: false })
    ).model;
    expect((await optimizedOps(writeModel(q))).get("QLinearConv")).toBe(4);
    await expect(
      quantizeStatic(floatDw, { engine, samples: blockSamples, depthwise: "int8" as never }),
    ).rejects.toThrow(/depthwise must be "qdq", "float" or "weights", got "int8"/);
  });
});

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
    // Flatten runs on the codes: its QDQ reuses the scale and zero point of its input
    expect(byName.get("flatten")!.detail).toBe("QDQ (its input's scale and zero point)");
    const qf = q.graph!.node.find((n) => n.opType === "QuantizeLinear" && n.input[0]!.startsWith("f_"))!;
    expect(qf.input.slice(1)).toEqual(["r1_scale", "r1_zero_point"]);
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
