/**
 * The ONNX worker's jobs: read a model the person dropped, quantize it with @quantkit/onnx, and run
 * the float and the quantized model on the same example input with onnxruntime-web (WASM, one
 * thread). Everything stays in this worker: the model never leaves the page.
 */
import {
  allNodes,
  type EngineFeeds,
  type InferenceSession,
  type ModelProto,
  opsetVersion,
  ortEngine,
  readModel,
  valueType,
  weights,
  writeModel,
} from "@quantkit/onnx";
import { sqnr } from "@quantkit/quantizers";
import { summarizeTimings } from "../lib/timing";
import type { JobContext } from "../worker/dispatcher";
import { type Feed, type InputSpec, makeFeeds } from "./exampleInput";
import type {
  ModelRun,
  ModelSummary,
  QuantizeInput,
  QuantizeOutput,
  QuantizeProgress,
  RunOutput,
} from "./jobs";
import { ortWeb } from "./ortWeb";
import { outputValues } from "./outputValues";
import { quantizeModel } from "./quantizeModel";

const TYPE_NAMES: Record<number, string> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  6: "int32",
  7: "int64",
  9: "bool",
  10: "float16",
};

interface State {
  name: string;
  model: ModelProto;
  bytes: Uint8Array;
  quantized: Uint8Array | undefined;
  sessions: Map<"float" | "quantized", InferenceSession>;
}

let state: State | undefined;

function engine() {
  return ortEngine(ortWeb(), {
    sessionOptions: { executionProviders: ["wasm"], graphOptimizationLevel: "all" },
  });
}

async function releaseSessions(s: State, which: "float" | "quantized" | "both"): Promise<void> {
  for (const key of which === "both" ? (["float", "quantized"] as const) : [which]) {
    await s.sessions.get(key)?.release?.();
    s.sessions.delete(key);
  }
}

/** Reads a model and summarises it; it becomes the model the other jobs work on. */
export async function load(input: { bytes: Uint8Array; name: string }): Promise<ModelSummary> {
  const model = readModel(input.bytes, { name: input.name });
  if (state) await releaseSessions(state, "both");
  state = { name: input.name, model, bytes: input.bytes, quantized: undefined, sessions: new Map() };
  const graph = model.graph!;
  const counts = new Map<string, number>();
  for (const { node } of allNodes(model)) counts.set(node.opType, (counts.get(node.opType) ?? 0) + 1);
  let parameters = 0;
  for (const w of weights(model)) parameters += w.tensor.dims.reduce((a, b) => a * Number(b), 1);
  const initializers = new Set(graph.initializer.map((t) => t.name));
  return {
    name: input.name,
    sizeBytes: input.bytes.length,
    opset: opsetVersion(model, "") ?? 0,
    nodes: allNodes(model).length,
    ops: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    parameters,
    inputs: graph.input
      .filter((v) => !initializers.has(v.name))
      .map((v) => {
        const t = valueType(graph, v.name);
        return { name: v.name, type: TYPE_NAMES[t?.elemType ?? 0] ?? `type ${t?.elemType}`, shape: t?.shape };
      }),
    outputs: graph.output.map((v) => v.name),
  };
}

function current(): State {
  if (!state) throw new Error("no model loaded: drop an .onnx file or load the example first");
  return state;
}

/** Quantizes the loaded model; int8, and q4 with gptq / awq, calibrate on seeded draws of the example inputs. */
export async function quantize(
  input: QuantizeInput,
  ctx: JobContext<QuantizeProgress>,
): Promise<QuantizeOutput> {
  const s = current();
  const samples = Array.from({ length: input.calibrationSamples }, (_, i) => makeFeeds(input.specs, 1 + i));
  const t0 = performance.now();
  const result = await quantizeModel(s.model, input.mode, {
    perChannel: input.perChannel,
    method: input.method,
    blockSize: input.blockSize,
    opTypes: input.opTypes,
    engine: engine(),
    samples: samples as unknown as EngineFeeds[],
    signal: ctx.signal,
    onProgress: (done) => ctx.progress({ stage: "calibrating", done, total: samples.length }),
  });
  const bytes = writeModel(result.model);
  const quantizeMs = performance.now() - t0;
  await releaseSessions(s, "quantized");
  s.quantized = bytes;
  const outputSqnrDb = result.outputSqnrDb ?? (await outputSqnr(s, samples, ctx));
  const q4 = input.mode === "q4" || input.mode === "q4f16";
  return {
    mode: input.mode,
    ...(q4 ? { opTypes: [...input.opTypes] } : {}),
    bytes: bytes.slice(),
    sizeBytesBefore: s.bytes.length,
    sizeBytesAfter: bytes.length,
    quantizeMs,
    nodes: result.nodes,
    outputSqnrDb,
    evaluatedSamples: samples.length,
  };
}

async function session(s: State, which: "float" | "quantized"): Promise<InferenceSession> {
  let found = s.sessions.get(which);
  if (!found) {
    const bytes = which === "float" ? s.bytes : s.quantized;
    if (!bytes) throw new Error("quantize the model first");
    found = await engine().createSession(bytes);
    s.sessions.set(which, found);
  }
  return found;
}

/** SQNR of each output of the quantized model against the float model's, pooled over the samples. */
async function outputSqnr(
  s: State,
  samples: Record<string, Feed>[],
  ctx: JobContext<QuantizeProgress>,
): Promise<Record<string, number>> {
  const f = await session(s, "float");
  const q = await session(s, "quantized");
  const ref = new Map<string, number[]>();
  const got = new Map<string, number[]>();
  for (const [i, feeds] of samples.entries()) {
    await ctx.checkpoint();
    const a = await f.run(feeds as unknown as EngineFeeds);
    const b = await q.run(feeds as unknown as EngineFeeds);
    for (const name of f.outputNames) {
      if (!b[name] || a[name]!.type !== "float32") continue;
      ref.set(name, [...(ref.get(name) ?? []), ...outputValues(a[name]!)]);
      got.set(name, [...(got.get(name) ?? []), ...outputValues(b[name]!)]);
    }
    ctx.progress({ stage: "evaluating", done: i + 1, total: samples.length });
  }
  return Object.fromEntries([...ref].map(([name, r]) => [name, sqnr(r, got.get(name)!)]));
}

async function timeRun(
  sess: InferenceSession,
  feeds: EngineFeeds,
  repeats: number,
): Promise<ModelRun & { raw: Record<string, Float64Array> }> {
  let out = await sess.run(feeds); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    out = await sess.run(feeds);
    times.push(performance.now() - t0);
  }
  const raw: Record<string, Float64Array> = {};
  const outputs = sess.outputNames.map((name) => {
    const t = out[name]!;
    raw[name] = outputValues(t);
    return { name, dims: [...t.dims], head: [...raw[name]!.subarray(0, 6)] };
  });
  return { medianMs: summarizeTimings(times).medianMs, outputs, raw };
}

/** Runs the float and the quantized model on the same example input, side by side. */
export async function run(input: { specs: InputSpec[]; seed: number; repeats: number }): Promise<RunOutput> {
  const s = current();
  const feeds = makeFeeds(input.specs, input.seed) as unknown as EngineFeeds;
  const a = await timeRun(await session(s, "float"), feeds, input.repeats);
  const b = await timeRun(await session(s, "quantized"), feeds, input.repeats);
  const compare = Object.keys(a.raw)
    .filter((name) => b.raw[name] !== undefined)
    .map((name) => {
      const x = a.raw[name]!;
      const y = b.raw[name]!;
      let maxAbsDiff = 0;
      for (let i = 0; i < x.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x[i]! - y[i]!));
      return { name, sqnrDb: sqnr(x, y), maxAbsDiff };
    });
  const strip = ({ medianMs, outputs }: ModelRun) => ({ medianMs, outputs });
  return { float: strip(a), quantized: strip(b), compare, backend: "onnxruntime-web wasm, 1 thread" };
}
