import { readFileSync } from "node:fs";
import { Rng } from "@quantkit/tensor";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { _attr, _node } from "../src/_quantGraph";
import { calibrate } from "../src/calibrate";
import { fromArray } from "../src/fromArray";
import { ortEngine } from "../src/ortEngine";
import { readModel } from "../src/readModel";
import { MODELS } from "./_fixtures";
import { graph, model, tensorInfo } from "./_models";

const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const f32 = (data: Float32Array, dims: number[]) => ({ type: "float32", data, dims });

/** x -> Relu -> r -> If(cond, then: r * 2, else: r * -3) -> y */
function reluIfModel() {
  const two = fromArray(Float32Array.of(2), { dims: [], name: "two" });
  const minus3 = fromArray(Float32Array.of(-3), { dims: [], name: "minus3" });
  const thenG = graph({
    name: "then",
    nodes: [_node("Mul", ["r", "two"], ["t"], "mul_then")],
    inputs: [],
    outputs: [tensorInfo("t", 1)],
    initializers: [two],
  });
  const elseG = graph({
    name: "else",
    nodes: [_node("Mul", ["r", "minus3"], ["e"], "mul_else")],
    inputs: [],
    outputs: [tensorInfo("e", 1)],
    initializers: [minus3],
  });
  return model(
    graph({
      nodes: [
        _node("Relu", ["x"], ["r"], "relu"),
        _node("If", ["cond"], ["y"], "if", [_attr("then_branch", thenG), _attr("else_branch", elseG)]),
      ],
      inputs: [tensorInfo("x", 1, ["n"]), tensorInfo("cond", 9, [])],
      outputs: [tensorInfo("y", 1)],
    }),
  );
}

const sample = (x: number[], cond: boolean) => ({
  x: f32(Float32Array.from(x), [x.length]),
  cond: { type: "bool", data: Uint8Array.of(cond ? 1 : 0), dims: [] },
});

describe("calibrate", () => {
  it("min-max ranges of inputs, main-graph tensors and tensors inside both If branches (known answers)", async () => {
    const m = reluIfModel();
    const { ranges, skipped, samples } = await calibrate(m, {
      engine,
      samples: [sample([-1, 2, 0.5], true), sample([3, -4], false), sample([1.5], true)],
      tensors: ["x", "r", "t", "e", "y"],
    });
    expect(samples).toBe(3);
    const r = (n: string) => [ranges.get(n)!.minVal + 0, ranges.get(n)!.maxVal + 0]; // + 0: -3 * 0 is -0
    expect(r("x")).toEqual([-4, 3]);
    expect(r("r")).toEqual([0, 3]);
    expect(r("t")).toEqual([0, 4]); // then branch ran on samples 0 and 2: 2 * [0, 2, 0.5], 2 * [1.5]
    expect(r("e")).toEqual([-9, 0]); // else branch on sample 1: -3 * [3, 0]
    expect(r("y")).toEqual([-9, 4]);
    expect(ranges.get("t")!.batches).toBe(2);
    expect(ranges.get("r")!.qparams.zeroPoint[0]).toBe(0);
    expect(skipped.size).toBe(0);
    // the caller's model is untouched
    expect(m.graph!.output.map((o) => o.name)).toEqual(["y"]);
  });

  it("min-max methods fetch each tensor's minimum and maximum (two scalars), computed in the model, not the tensor", async () => {
    const fetched: number[] = [];
    const recording: typeof engine = {
      async createSession(bytes) {
        const s = await engine.createSession(bytes);
        return {
          ...s,
          async run(feeds, names) {
            const r = await s.run(feeds, names);
            for (const t of Object.values(r)) fetched.push(t.data.length);
            return r;
          },
        };
      },
    };
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 5);
    const { ranges } = await calibrate(reluIfModel(), {
      engine: recording,
      samples: [{ ...sample([], true), x: f32(x, [1000]) }],
      tensors: ["r", "t"],
      method: "moving_average_minmax",
    });
    expect(fetched).toEqual([1, 1, 1, 1]);
    const max = Math.max(...x);
    expect([ranges.get("r")!.minVal, ranges.get("r")!.maxVal]).toEqual([0, max]);
    expect(ranges.get("t")!.maxVal).toBe(Math.fround(2 * max));
  });

  it("streams into the chosen observer: percentile differs from min-max on an outlier", async () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 4 }, () => Array.from({ length: 1000 }, () => rng.next()));
    xs[0]![0] = 100;
    const run = (method: "minmax" | "percentile") =>
      calibrate(reluIfModel(), {
        engine,
        samples: xs.map((x) => sample(x, true)),
        tensors: ["r"],
        method,
        ...(method === "percentile" ? { observerOptions: { percentile: 99 } } : {}),
      });
    const mm = (await run("minmax")).ranges.get("r")!;
    const pc = (await run("percentile")).ranges.get("r")!;
    expect(mm.maxVal).toBe(100);
    expect(pc.maxVal).toBeLessThan(1.01);
    expect(pc.maxVal).toBeGreaterThan(0.95);
  });

  it("rejects samples that do not fit the graph inputs, naming the sample, the input and the value; nothing runs", async () => {
    let sessions = 0;
    const counting = {
      createSession: async (b: Uint8Array) => {
        sessions++;
        return engine.createSession(b);
      },
    };
    const bad = async (s: object) =>
      calibrate(reluIfModel(), { engine: counting, samples: [sample([1], true), s as never] });
    await expect(bad({ x: f32(Float32Array.of(1), [1]) })).rejects.toThrow(
      /calibration sample 1 lacks input "cond"/,
    );
    await expect(bad({ ...sample([1], true), z: f32(Float32Array.of(1), [1]) })).rejects.toThrow(
      /sample 1 has input "z", which the graph does not have/,
    );
    await expect(
      bad({ ...sample([1], true), x: { type: "float64", data: Float64Array.of(1), dims: [1] } }),
    ).rejects.toThrow(/sample 1: input "x" has type "float64", the graph expects float32/);
    await expect(bad({ ...sample([1], true), x: f32(Float32Array.of(1, 2), [1, 2]) })).rejects.toThrow(
      /input "x" has dims \[1, 2\] \(rank 2\), the graph expects rank 1/,
    );
    await expect(
      bad({ ...sample([1], true), cond: { type: "bool", data: Uint8Array.of(1, 0), dims: [2] } }),
    ).rejects.toThrow(/rank 0/);
    expect(sessions).toBe(0);
    await expect(calibrate(reluIfModel(), { engine, samples: [] })).rejects.toThrow(/samples is empty/);
    await expect(
      calibrate(reluIfModel(), { engine, samples: [sample([1], true)], method: "kl" as never }),
    ).rejects.toThrow(/method must be one of/);
    await expect(
      calibrate(reluIfModel(), { engine, samples: [sample([1], true)], engin: 1 } as never),
    ).rejects.toThrow(/unknown option "engin"/);
  });

  it("NaN in a calibrated tensor names the tensor and the sample", async () => {
    await expect(
      calibrate(reluIfModel(), {
        engine,
        samples: [sample([1], true), sample([Number.NaN], true)],
        tensors: ["x"],
      }),
    ).rejects.toThrow(/tensor "x" on calibration sample 1/);
  });

  it("Silero VAD v5: the Conv outputs inside the 16 kHz If branch get ranges; the 8 kHz branch's are reported never computed", async () => {
    const m = readModel(readFileSync(MODELS.sileroV5));
    const rng = new Rng(2);
    const samples = Array.from({ length: 3 }, () => ({
      input: f32(
        new Float32Array(512).map(() => (rng.next() - 0.5) * 0.2),
        [1, 512],
      ),
      state: f32(new Float32Array(256), [2, 1, 128]),
      sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] },
    }));
    const convOutputs: string[] = [];
    const visit = (g: NonNullable<typeof m.graph>) => {
      for (const n of g.node) {
        if (n.opType === "Conv") convOutputs.push(n.output[0]!);
        for (const a of n.attribute) if (a.g) visit(a.g);
      }
    };
    visit(m.graph!);
    expect(convOutputs.length).toBe(12); // 6 per sampling-rate branch
    const { ranges, skipped } = await calibrate(m, { engine, samples, tensors: convOutputs });
    expect(ranges.size).toBe(6);
    expect(skipped.size).toBe(6);
    for (const [, why] of skipped) expect(why).toBe("never computed on the calibration samples");
    for (const [, r] of ranges) expect(r.maxVal).toBeGreaterThan(r.minVal);
  });

  it("Silero VAD v5, every tensor: the branches' int64 tensors are skipped by type, not exposed as float (onnxruntime refused that)", async () => {
    const m = readModel(readFileSync(MODELS.sileroV5));
    const samples = [
      {
        input: f32(
          new Float32Array(512).map((_, i) => Math.sin(i / 7) * 0.1),
          [1, 512],
        ),
        state: f32(new Float32Array(256), [2, 1, 128]),
        sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] },
      },
    ];
    const { ranges, skipped } = await calibrate(m, { engine, samples });
    expect(ranges.size).toBeGreaterThan(50);
    const int64 = [...skipped].filter(([, why]) => why === "INT64, not float32");
    expect(int64.length).toBeGreaterThan(0);
    expect(int64.some(([name]) => name.includes("stft/Constant_output_0"))).toBe(true);
  });
});
