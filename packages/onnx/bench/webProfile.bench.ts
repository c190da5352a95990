// Where onnxruntime-web (WASM, one thread) spends an int8 model's time, node by node. Its profiler writes
// into the WebAssembly module's own file system, out of reach, so each weighted node (and each MaxPool) is
// timed as a model of its own: in the float model the node with the BatchNormalization that alone reads
// it, in the int8 model the node with its DequantizeLinear inputs and the QuantizeLinear after it (what
// onnxruntime fuses into one QLinear kernel), each fed the tensors one real input gives it (computed by
// onnxruntime-node). Warm-up, then float and int8 runs alternate; medians and their ratio (float / int8:
// above 1 the int8 node is faster). Only main-graph nodes (not Silero VAD's If branches).
// Run: pnpm --filter @quantkit/onnx bench:web-profile [--models rec,cls,fashion] [--depthwise qdq|float|weights]
//      [--ops Conv|MatMul|Gemm|MaxPool] [--rounds 15]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { _exposeTensors } from "../src/_expose";
import {
  consumers,
  type EngineFeeds,
  type InferenceSession,
  type ModelProto,
  makeGraph,
  makeModel,
  makeValueInfo,
  type NodeProto,
  ortEngine,
  producers,
  quantizeStatic,
  readModel,
  upgradeOpset,
  writeModel,
} from "../src/index";
import { MODELS } from "../test/_fixtures";
import { arg } from "./_args";
import { fashionFeed, readFashion } from "./_fashion";
import { clsInput, readTextLines, recLine } from "./_ocr";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
const DEPTHWISE = arg("depthwise", "qdq") as "qdq";
const OPS = new RegExp(`^(${arg("ops", "Conv|MatMul|Gemm|MaxPool")})$`);
const ROUNDS = Number(arg("rounds", "15"));
ortWeb.env.wasm.numThreads = 1;
ortNode.env.logLevel = "error";
const node = ortEngine(ortNode, { sessionOptions: { intraOpNumThreads: 1, logSeverityLevel: 3 } });
const web = ortEngine(ortWeb, { sessionOptions: { executionProviders: ["wasm"], logSeverityLevel: 3 } });

/** 64 calibration inputs and one evaluation input (not among them), as quantize.bench.ts takes them. */
function inputs(name: string): { file: string; samples: EngineFeeds[]; probe: EngineFeeds } {
  if (name === "fashion") {
    const ref = JSON.parse(readFileSync(join(FIXTURES, "fashion-cnn", "reference.json"), "utf8"));
    const { mean, std } = ref.normalisation;
    const train = readFashion("/usr/share/datasets/fashion-mnist", "train", mean, std);
    const test = readFashion("/usr/share/datasets/fashion-mnist", "t10k", mean, std);
    const feed = (x: Float32Array, k: number) => fashionFeed(x, k * 100, 100, ref.onnx.input.name);
    return {
      file: join(FIXTURES, "fashion-cnn", "model.onnx"),
      samples: Array.from({ length: 10 }, (_, k) => feed(train.x, k)),
      probe: feed(test.x, 0),
    };
  }
  const lines = readTextLines(join(FIXTURES, "text-lines"));
  const feed = (i: number): EngineFeeds => ({
    x: { type: "float32", ...(name === "rec" ? recLine(lines, i) : clsInput(lines, i)) },
  });
  return {
    file: name === "rec" ? MODELS.ocrRec : MODELS.ocrCls,
    samples: Array.from({ length: 64 }, (_, i) => feed(i)),
    probe: feed(70),
  };
}

/** The node and what onnxruntime fuses with it: DequantizeLinear inputs and QuantizeLinear output (int8), BatchNormalization (float). */
function group(m: ModelProto, center: NodeProto, quantized: boolean): NodeProto[] {
  const made = producers(m.graph!);
  const g = quantized
    ? center.input.flatMap((i) => (made.get(i)?.opType === "DequantizeLinear" ? [made.get(i)!] : []))
    : [];
  g.push(center);
  const readers = consumers(m.graph!).get(center.output[0]!) ?? [];
  const next = quantized ? "QuantizeLinear" : "BatchNormalization";
  if (readers.length === 1 && readers[0]!.opType === next) g.push(readers[0]!);
  return g;
}

/** `nodes` as a model of their own, with the constants they read; its inputs are the other tensors they read. */
function extract(m: ModelProto, nodes: NodeProto[], probe: Map<string, EngineFeeds[string]>) {
  const made = producers(m.graph!);
  const inside = new Set(nodes.flatMap((n) => n.output));
  const all = [...nodes];
  const initializer = [];
  const feeds: Record<string, EngineFeeds[string]> = {};
  for (const n of nodes)
    for (const i of n.input) {
      if (i === "" || inside.has(i) || i in feeds) continue;
      const init = m.graph!.initializer.find((t) => t.name === i);
      if (init !== undefined) initializer.push(init);
      else if (made.get(i)?.opType === "Constant") all.unshift(made.get(i)!);
      else feeds[i] = probe.get(i)!;
    }
  const last = nodes[nodes.length - 1]!;
  const code = { float32: 1, uint8: 2, int8: 3 } as Record<string, number>;
  const graph = makeGraph({
    name: last.name,
    node: all,
    initializer,
    input: Object.entries(feeds).map(([k, f]) => makeValueInfo(k, code[f.type]!, f.dims)),
    output: [makeValueInfo(last.output[0]!, last.opType === "QuantizeLinear" ? 2 : 1)],
  });
  const opsets = Object.fromEntries(m.opsetImport.map((o) => [o.domain, Number(o.version)]));
  return { bytes: writeModel(makeModel(graph, { opsets })), feeds };
}

/** The value of every tensor `names` on the probe input (onnxruntime-node). */
async function values(m: ModelProto, names: Set<string>, probe: EngineFeeds) {
  const exposed = _exposeTensors(
    m,
    [...names].filter((n) => !(n in probe)),
  );
  const s = await node.createSession(writeModel(exposed.model));
  const r = await s.run(probe);
  const out = new Map<string, EngineFeeds[string]>(Object.entries(probe));
  for (const [t, o] of exposed.outputs) {
    const v = r[o]!;
    out.set(t, { type: v.type, data: v.data, dims: [...v.dims] } as EngineFeeds[string]);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function profile(name: string): Promise<void> {
  const { file, samples, probe } = inputs(name);
  let fm = readModel(new Uint8Array(readFileSync(file)));
  if (Number(fm.opsetImport[0]!.version) < 11) fm = upgradeOpset(fm, 13);
  const { model: qm } = await quantizeStatic(fm, {
    engine: node,
    samples,
    evaluate: false,
    depthwise: DEPTHWISE,
  });
  const pairs: [NodeProto[], NodeProto[], NodeProto][] = [];
  for (const qc of qm.graph!.node.filter((n) => OPS.test(n.opType) && n.name !== "")) {
    const fc = fm.graph!.node.find((n) => n.name === qc.name && n.opType === qc.opType);
    if (fc !== undefined) pairs.push([group(fm, fc, false), group(qm, qc, true), qc]);
  }
  const need = (m: NodeProto[][]) =>
    new Set(m.flatMap((g) => g.flatMap((n) => n.input)).filter((i) => i !== ""));
  const fv = await values(fm, need(pairs.map((p) => p[0])), probe);
  const qv = await values(qm, need(pairs.map((p) => p[1])), probe);
  let sumF = 0;
  let sumQ = 0;
  let sumDwF = 0;
  let sumDwQ = 0;
  for (const [fg, qg, qc] of pairs) {
    const parts = [extract(fm, fg, fv), extract(qm, qg, qv)];
    const sessions: InferenceSession[] = [];
    for (const p of parts) sessions.push(await web.createSession(p.bytes));
    const t: number[][] = [[], []];
    for (let i = 0; i < 3; i++) for (const k of [0, 1]) await sessions[k]!.run(parts[k]!.feeds);
    for (let r = 0; r < ROUNDS; r++)
      for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        await sessions[k]!.run(parts[k]!.feeds);
        t[k]!.push(performance.now() - t0);
      }
    for (const s of sessions) await s.release?.();
    const [f, q] = [median(t[0]!), median(t[1]!)];
    const groupAttr = Number(qc.attribute.find((a) => a.name === "group")?.i ?? 1n);
    const x = parts[0]!.feeds[fg[0]!.input[0]!]?.dims ?? [];
    const dw = qc.opType === "Conv" && groupAttr > 1;
    sumF += f;
    sumQ += q;
    if (dw) {
      sumDwF += f;
      sumDwQ += q;
    }
    const what = `${qc.opType}${groupAttr > 1 ? ` group ${groupAttr}` : ""} x[${x.join(",")}]`;
    const int8 = qg.some((n) => n.opType === "QuantizeLinear") ? "int8" : "float";
    console.log(
      `${name} ${qc.name.padEnd(22)} ${what.padEnd(36)} float ${f.toFixed(3)} ms, ${int8} ${q.toFixed(3)} ms (${(f / q).toFixed(2)}x)`,
    );
  }
  console.log(
    `${name}: ${pairs.length} nodes, float ${sumF.toFixed(2)} ms, int8 ${sumQ.toFixed(2)} ms (${(sumF / sumQ).toFixed(2)}x); depthwise Convs float ${sumDwF.toFixed(2)} ms, int8 ${sumDwQ.toFixed(2)} ms`,
  );
}

for (const name of arg("models", "rec,cls,fashion").split(",")) await profile(name);
