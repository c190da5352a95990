import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  convertFloatToFloat16,
  DataType,
  getAttribute,
  getInitializer,
  type ModelProto,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  ortEngine,
  producers,
  readModel,
  toArray,
  toFloat32Array,
  valueType,
  writeModel,
} from "../src/index";

// through ortEngine: float16 feeds reach onnxruntime-node as bits wherever Float16Array exists (Node 24)
const run = async (model: ModelProto, feeds: Record<string, ort.Tensor>) => {
  const session = await ortEngine(ort).createSession(writeModel(model));
  return session.run(feeds);
};
const hex16 = (t: Parameters<typeof toArray>[0]) =>
  Array.from(toArray(t) as Uint16Array, (b) => b.toString(16).padStart(4, "0"));

/** x[1,4] -> MatMul(w) -> TopK(2) -> values + float(indices) -> y[1,2] (float32 I/O), idx int64 out. */
function topkModel(weights: number[]) {
  return makeModel(
    makeGraph({
      name: "topk",
      node: [
        makeNode("MatMul", ["x", "w"], ["h"], { name: "mm" }),
        makeNode("TopK", ["h", "k"], ["vals", "idx"], { name: "topk" }),
        makeNode("Cast", ["idx"], ["idxf"], { name: "cast", attributes: { to: DataType.FLOAT } }),
        makeNode("Add", ["vals", "idxf"], ["y"], { name: "add" }),
      ],
      input: [makeValueInfo("x", DataType.FLOAT, [1, 4])],
      output: [makeValueInfo("y", DataType.FLOAT, [1, 2]), makeValueInfo("idx", DataType.INT64, [1, 2])],
      initializer: [
        makeTensor("w", DataType.FLOAT, [4, 4], weights),
        makeTensor("k", DataType.INT64, [1], [2]),
      ],
      valueInfo: [makeValueInfo("h", DataType.FLOAT, [1, 4])],
    }),
    { opsets: { "": 17 } },
  );
}

describe("convertFloatToFloat16: weights", () => {
  it("by default keeps a weight beyond ±65504 float32 and computes its readers in float32, reporting both", () => {
    const w = [1e5, -7e4, 65504, 65519, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const { model, report } = convertFloatToFloat16(topkModel(w));
    const t = getInitializer(model.graph!, "w")!;
    expect([t.dataType, Array.from(toFloat32Array(t).slice(0, 2))]).toEqual([DataType.FLOAT, [1e5, -7e4]]);
    expect(report.overflow).toEqual([
      { tensor: "w", action: "kept float32", nodes: ["mm"], path: "main", count: 3, magnitude: 1e5 },
    ]);
    expect(report.blockedNodes[0]).toEqual({
      name: "mm",
      opType: "MatMul",
      path: "main",
      reason: "reads w, beyond float16",
    });
    expect(report.keptFloat32).toEqual(["w"]);
  });

  it('onOverflow: "clamp" clamps finite values beyond ±65504 to ±65504 (0x7bff), never ±inf, and reports them', () => {
    const w = [1e5, -7e4, 65504, 65519, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const { model, report } = convertFloatToFloat16(topkModel(w), { onOverflow: "clamp" });
    const t = getInitializer(model.graph!, "w")!;
    expect(t.dataType).toBe(DataType.FLOAT16);
    expect(hex16(t).slice(0, 4)).toEqual(["7bff", "fbff", "7bff", "7bff"]);
    expect(report.overflow).toEqual([
      { tensor: "w", action: "clamped", nodes: ["mm"], path: "main", count: 3, magnitude: 1e5 },
    ]);
    expect([report.tensorsConverted, report.parametersConverted]).toEqual([1, 16]);
  });

  it("raises non-zero values below 1e-7 to ±1e-7 (float16 0x0002), keeps 0, -0, NaN and ±inf", () => {
    const w = [
      1e-9,
      -3e-8,
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-7,
      2e-7,
      6e-8,
      1,
      1,
      1,
      1,
      1,
      1,
    ];
    const { model, report } = convertFloatToFloat16(topkModel(w));
    expect(hex16(getInitializer(model.graph!, "w")!).slice(0, 10)).toEqual([
      "0002",
      "8002",
      "0000",
      "8000",
      "7e00",
      "7c00",
      "fc00",
      "0002",
      "0003",
      "0002",
    ]);
    expect(report.tiny).toEqual([
      { tensor: "w", nodes: ["mm"], path: "main", count: 3, magnitude: Math.fround(1e-9) },
    ]);
  });

  it("converts Constant nodes (value and value_floats), leaves int64 weights alone, does not change the input model", () => {
    const g = makeGraph({
      name: "g",
      node: [
        makeNode("Constant", [], ["a"], { name: "ca", attributes: { value_floats: [0.1, 70000] } }),
        makeNode("Constant", [], ["b"], {
          name: "cb",
          attributes: { value: makeTensor("", DataType.FLOAT, [2], [1.5, -2]) },
        }),
        makeNode("Add", ["a", "b"], ["y"]),
      ],
      output: [makeValueInfo("y", DataType.FLOAT, [2])],
      initializer: [makeTensor("n", DataType.INT64, [1], [3])],
    });
    const original = makeModel(g);
    const before = writeModel(original).slice();
    const { model, report } = convertFloatToFloat16(original, { onOverflow: "clamp" });
    expect(writeModel(original)).toEqual(before);
    const [ca, cb] = model.graph!.node.filter((n) => n.opType === "Constant");
    expect(Array.from(toFloat32Array(getAttribute(ca!, "value") as never))).toEqual([0.0999755859375, 65504]);
    expect(Array.from(toFloat32Array(getAttribute(cb!, "value") as never))).toEqual([1.5, -2]);
    expect(getInitializer(model.graph!, "n")!.dataType).toBe(DataType.INT64);
    expect(report.overflow.map((o) => [o.tensor, o.nodes, o.action])).toEqual([["a", ["ca"], "clamped"]]);
  });
});

describe("convertFloatToFloat16: graph", () => {
  it("keeps float32 graph inputs / outputs with Casts, computes blocked TopK in float32, Cast(to=float) -> float16", async () => {
    const w = Array.from({ length: 16 }, (_, i) => ((i * 7) % 11) / 4 - 1);
    const { model, report } = convertFloatToFloat16(topkModel(w));
    const g = model.graph!;
    const made = producers(g);
    expect(valueType(g, "x")!.elemType).toBe(DataType.FLOAT);
    expect(valueType(g, "y")!.elemType).toBe(DataType.FLOAT);
    expect(valueType(g, "h")!.elemType).toBe(DataType.FLOAT16);
    expect(made.get("y")!.opType).toBe("Cast");
    expect(getAttribute(g.node.find((n) => n.name === "cast")!, "to")).toBe(10n);
    const topk = g.node.find((n) => n.name === "topk")!;
    expect(made.get(topk.input[0]!)!.opType).toBe("Cast");
    expect(topk.input[1]).toBe("k");
    expect(topk.output[1]).toBe("idx");
    expect(report.blockedNodes).toEqual([{ name: "topk", opType: "TopK", path: "main" }]);
    // x cast to fp16, h cast to fp32 for TopK, vals cast back to fp16, the output cast to fp32.
    expect(report.castsInserted).toBe(4);
    const x = new ort.Tensor("float32", new Float32Array([0.5, -1, 2, 0.25]), [1, 4]);
    const [a, b] = [await run(topkModel(w), { x }), await run(model, { x })];
    expect(b.y!.type).toBe("float32");
    expect(Array.from(b.idx!.data as BigInt64Array)).toEqual(Array.from(a.idx!.data as BigInt64Array));
    const d = Array.from(a.y!.data as Float32Array).map((v, i) =>
      Math.abs(v - (b.y!.data as Float32Array)[i]!),
    );
    expect(Math.max(...d)).toBeLessThan(4e-3);
  });

  it("leaves a Resize's float32 scales float32 (only a blocked node reads them) and needs no cast of its input", async () => {
    const resize = makeModel(
      makeGraph({
        name: "r",
        node: [
          makeNode("Resize", ["img", "", "scales"], ["big"], {
            name: "resize",
            attributes: { mode: "nearest" },
          }),
          makeNode("Constant", [], ["half"], { attributes: { value_float: 0.5 } }),
          makeNode("Mul", ["big", "half"], ["out"]),
        ],
        input: [makeValueInfo("img", DataType.FLOAT, [1, 1, 2, 2])],
        output: [makeValueInfo("out", DataType.FLOAT, [1, 1, 4, 4])],
        initializer: [makeTensor("scales", DataType.FLOAT, [4], [1, 1, 2, 2])],
      }),
      { opsets: { "": 13 } },
    );
    const { model, report } = convertFloatToFloat16(resize);
    expect(report.keptFloat32).toEqual(["scales"]);
    expect(getInitializer(model.graph!, "scales")!.dataType).toBe(DataType.FLOAT);
    expect(model.graph!.node.find((n) => n.name === "resize")!.input).toEqual(["img", "", "scales"]);
    expect(report.castsInserted).toBe(2);
    const img = new ort.Tensor("float32", new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]);
    expect(Array.from((await run(model, { img })).out!.data as Float32Array)).toEqual(
      Array.from((await run(resize, { img })).out!.data as Float32Array),
    );
  });

  it("converts the weights and declared types inside If branches; both branches run", async () => {
    const branch = (name: string, op: string, k: number) =>
      makeGraph({
        name,
        node: [makeNode(op, ["x", `k_${name}`], [`o_${name}`])],
        initializer: [makeTensor(`k_${name}`, DataType.FLOAT, [1], [k])],
        output: [makeValueInfo(`o_${name}`, DataType.FLOAT, [2])],
      });
    const float = makeModel(
      makeGraph({
        name: "main",
        node: [
          makeNode("If", ["c"], ["y"], {
            name: "if",
            attributes: { then_branch: branch("then", "Add", 0.5), else_branch: branch("else", "Mul", 3) },
          }),
        ],
        input: [makeValueInfo("c", DataType.BOOL, []), makeValueInfo("x", DataType.FLOAT, [2])],
        output: [makeValueInfo("y", DataType.FLOAT, [2])],
      }),
      { opsets: { "": 17 } },
    );
    const { model, report } = convertFloatToFloat16(float);
    const then = model.graph!.node.find((n) => n.opType === "If")!.attribute[0]!.g!;
    expect([then.initializer[0]!.dataType, valueType(then, "o_then")!.elemType]).toEqual([
      DataType.FLOAT16,
      DataType.FLOAT16,
    ]);
    expect(report.tensorsConverted).toBe(2);
    const x = new ort.Tensor("float32", new Float32Array([1, -2]), [2]);
    for (const c of [true, false]) {
      const feeds = { c: new ort.Tensor("bool", [c], []), x };
      expect(Array.from((await run(model, feeds)).y!.data as Float32Array)).toEqual(
        Array.from((await run(float, feeds)).y!.data as Float32Array),
      );
    }
  });

  it("converts a Loop body (carried float value, a Constant inside) and the result runs", async () => {
    const body = makeGraph({
      name: "body",
      node: [
        makeNode("Constant", [], ["step"], { attributes: { value_floats: [0.5, -0.25] } }),
        makeNode("Mul", ["v", "step"], ["scaled"]),
        makeNode("Add", ["v", "scaled"], ["v_out"]),
        makeNode("Identity", ["cond"], ["cond_out"]),
      ],
      input: [
        makeValueInfo("i", DataType.INT64, []),
        makeValueInfo("cond", DataType.BOOL, []),
        makeValueInfo("v", DataType.FLOAT, [2]),
      ],
      output: [makeValueInfo("cond_out", DataType.BOOL, []), makeValueInfo("v_out", DataType.FLOAT, [2])],
    });
    const float = makeModel(
      makeGraph({
        name: "main",
        node: [makeNode("Loop", ["trip", "", "x"], ["y"], { name: "loop", attributes: { body } })],
        input: [makeValueInfo("x", DataType.FLOAT, [2])],
        output: [makeValueInfo("y", DataType.FLOAT, [2])],
        initializer: [makeTensor("trip", DataType.INT64, [], [3])],
      }),
      { opsets: { "": 17 } },
    );
    const { model, report } = convertFloatToFloat16(float);
    const b = model.graph!.node.find((n) => n.opType === "Loop")!.attribute[0]!.g!;
    expect([
      valueType(b, "v")!.elemType,
      valueType(b, "v_out")!.elemType,
      valueType(b, "i")!.elemType,
    ]).toEqual([DataType.FLOAT16, DataType.FLOAT16, DataType.INT64]);
    expect(report.tensorsConverted).toBe(1);
    const x = new ort.Tensor("float32", new Float32Array([1, 3]), [2]);
    // 1.5^3 = 3.375 and 0.75^3 * 3 = 1.265625: exact in float16 too.
    expect(Array.from((await run(model, { x })).y!.data as Float32Array)).toEqual([3.375, 1.265625]);
    expect(Array.from((await run(float, { x })).y!.data as Float32Array)).toEqual([3.375, 1.265625]);
  });

  it("a HannWindow (float32 made from an integer size) stays float32 with a Cast after it", async () => {
    const float = makeModel(
      makeGraph({
        name: "w",
        node: [
          makeNode("HannWindow", ["n"], ["win"], { name: "hann" }),
          makeNode("Mul", ["win", "x"], ["y"]),
        ],
        input: [makeValueInfo("x", DataType.FLOAT, [8])],
        output: [makeValueInfo("y", DataType.FLOAT, [8])],
        initializer: [makeTensor("n", DataType.INT64, [], [8])],
      }),
      { opsets: { "": 17 } },
    );
    const { model, report } = convertFloatToFloat16(float);
    expect(report.blockedNodes.map((b) => b.opType)).toEqual(["HannWindow"]);
    expect(producers(model.graph!).get("win")!.opType).toBe("Cast");
    const x = new ort.Tensor("float32", new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), [8]);
    const a = Array.from((await run(float, { x })).y!.data as Float32Array);
    const b = Array.from((await run(model, { x })).y!.data as Float32Array);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(5e-3);
  });

  it("keepIoTypes: false makes the graph's inputs and outputs float16 too (no boundary Casts)", async () => {
    const w = Array.from({ length: 16 }, (_, i) => i / 8 - 1);
    const { model, report } = convertFloatToFloat16(topkModel(w), { keepIoTypes: false });
    expect([valueType(model.graph!, "x")!.elemType, valueType(model.graph!, "y")!.elemType]).toEqual([
      DataType.FLOAT16,
      DataType.FLOAT16,
    ]);
    expect(report.castsInserted).toBe(2); // only around TopK
    const x = new ort.Tensor("float16", new Uint16Array([0x3c00, 0xbc00, 0x4000, 0x3400]), [1, 4]);
    const out = await run(model, { x });
    expect(out.y!.type).toBe("float16");
  });

  it("errors: unknown options, bad minPositive, external data", () => {
    expect(() => convertFloatToFloat16(topkModel(new Array(16).fill(1)), { keepIO: true } as never)).toThrow(
      /unknown option "keepIO"/,
    );
    expect(() => convertFloatToFloat16(topkModel(new Array(16).fill(1)), { minPositive: -1 })).toThrow(
      /minPositive must be in \[0, 65504\), got -1/,
    );
    const m = readModel(writeModel(topkModel(new Array(16).fill(1))));
    m.graph!.initializer[0]!.dataLocation = 1;
    expect(() => convertFloatToFloat16(m)).toThrow(/tensor "w" has external data; loadExternalData first/);
  });
});
