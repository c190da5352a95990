import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  collectMatMulInputs,
  DataType,
  type EngineFeeds,
  makeGraph,
  makeModel,
  makeNode,
  makeTensor,
  makeValueInfo,
  ortEngine,
} from "../src/index";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const W1 = [0.5, -1, 2, 0, 1, 0.25, -0.5, 1, -2, 1.5, 0, 0.75]; // [3, 4]
const W2 = [1, 0, 0, 1, -1, 2, 0.5, 0.5]; // [4, 2]

/** x [n, 3] -> MatMul(W1) -> Relu -> r -> MatMul(W2) -> y, and a MatMul with a non-constant B (skipped). */
function mlp() {
  return makeModel(
    makeGraph({
      name: "mlp",
      node: [
        makeNode("MatMul", ["x", "w1"], ["h"], { name: "mm1" }),
        makeNode("Relu", ["h"], ["r"], { name: "relu" }),
        makeNode("MatMul", ["r", "w2"], ["y"], { name: "mm2" }),
        makeNode("MatMul", ["x", "bt"], ["z"], { name: "mm3" }),
      ],
      input: [makeValueInfo("x", DataType.FLOAT, ["n", 3]), makeValueInfo("bt", DataType.FLOAT, [3, 1])],
      output: [makeValueInfo("y", DataType.FLOAT, ["n", 2]), makeValueInfo("z", DataType.FLOAT, ["n", 1])],
      initializer: [
        makeTensor("w1", DataType.FLOAT, [3, 4], W1),
        makeTensor("w2", DataType.FLOAT, [4, 2], W2),
      ],
    }),
    { opsets: { "": 17 } },
  );
}

const sample = (rows: number[]): EngineFeeds => ({
  x: { type: "float32", data: Float32Array.from(rows), dims: [rows.length / 3, 3] },
  bt: { type: "float32", data: Float32Array.of(1, 1, 1), dims: [3, 1] },
});

/** relu(x W1) in float64 loops. */
function hidden(x: number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / 3; r++)
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += x[r * 3 + k]! * W1[k * 4 + j]!;
      out.push(Math.max(s, 0));
    }
  return out;
}

describe("collectMatMulInputs", () => {
  it("gives each constant-weight MatMul's first input as [rows, K] over all samples, from the graph input and from inside", async () => {
    const a = [1, 2, 3, -1, 0.5, 2];
    const b = [0, 0, 1];
    const done: number[] = [];
    const acts = await collectMatMulInputs(mlp(), {
      engine,
      samples: [sample(a), sample(b)],
      onProgress: (n) => done.push(n),
    });
    expect([...acts.keys()].sort()).toEqual(["r", "x"]); // mm3's B is not a constant
    expect(Array.from(acts.get("x")!)).toEqual([...a, ...b].map(Math.fround));
    const r = acts.get("r")!;
    const expected = hidden([...a, ...b]);
    expect(r.length).toBe(12);
    for (let i = 0; i < 12; i++) expect(r[i]).toBeCloseTo(expected[i]!, 5);
    expect(done).toEqual([1, 2]);
  });
  it("maxRows keeps evenly strided rows over all samples: row floor(r * total / keep)", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [i, i + 0.5, -i]);
    const acts = await collectMatMulInputs(mlp(), {
      engine,
      samples: [sample(rows.slice(0, 2).flat()), sample(rows.slice(2).flat())],
      maxRows: 2,
    });
    // total 5, keep 2: rows 0 and floor(5 / 2) = 2
    expect(Array.from(acts.get("x")!)).toEqual([...rows[0]!, ...rows[2]!]);
  });
  it("errors name the option and the value", async () => {
    await expect(
      collectMatMulInputs(mlp(), { engine: {} as never, samples: [sample([1, 2, 3])] }),
    ).rejects.toThrow(/options.engine must be an InferenceEngine \(createSession\)/);
    await expect(collectMatMulInputs(mlp(), { engine, samples: [] })).rejects.toThrow(
      "collectMatMulInputs: options.samples is empty: calibration needs at least one",
    );
    await expect(
      collectMatMulInputs(mlp(), { engine, samples: [sample([1, 2, 3])], maxRows: 0 }),
    ).rejects.toThrow("collectMatMulInputs: maxRows must be a positive integer, got 0");
    const controller = new AbortController();
    controller.abort();
    await expect(
      collectMatMulInputs(mlp(), { engine, samples: [sample([1, 2, 3])], signal: controller.signal }),
    ).rejects.toThrow(/stopped after 0 samples/);
  });
});
