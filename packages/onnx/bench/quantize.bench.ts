// q8 and int8 of the real models, measured: quantization time and peak memory (each in a fresh child
// process), file sizes, accuracy against the float model on the fixtures, and inference time of float vs
// quantized in onnxruntime-node and onnxruntime-web (WASM), one thread each, alternating runs in the same
// process (bench/_speed.ts), and the op types of onnxruntime-node's optimized quantized graph.
// Run: pnpm --filter @quantkit/onnx bench:quantize [--fixtures DIR] [--models vad,rec,cls,fashion]
//      [--modes q8,int8] [--method minmax|mse|entropy|percentile|histogram] [--q8-convs integer|weights]
//      [--q8-depthwise integer|float|weights]
//      [--int8-add Add,Mul] [--int8-depthwise qdq|float|weights] [--int8-weights uint8|int8] [--json FILE]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import {
  type EngineFeeds,
  INT8_DEFAULT_OP_TYPES,
  type InferenceSession,
  type ModelProto,
  ortEngine,
  quantizeDynamic,
  quantizeStatic,
  readModel,
  upgradeOpset,
  writeModel,
} from "../src/index";
import { MODELS } from "../test/_fixtures";
import { arg, fixturesDir } from "./_args";
import { fashionAccuracy, fashionFeed, readFashion } from "./_fashion";
import { clsInput, clsTop1, ctcDecode, readTextLines, recDictionary, recLine, recText } from "./_ocr";
import { compareVad, readSpeech, vadProbabilities } from "./_speech";

const FIXTURES = fixturesDir();
const FASHION_DIR = "/usr/share/datasets/fashion-mnist";
const CALIBRATION = 64;
const METHOD = arg("method", "minmax") as "minmax";
/** --q8-convs weights: quantizeDynamic's convs option. */
const Q8_CONVS = arg("q8-convs", "integer") as "integer";
/** --int8-add Add,Mul: op types added to quantizeStatic's default opTypes. */
const INT8_ADD = arg("int8-add", "")
  .split(",")
  .filter((t) => t !== "");
/** --q8-depthwise integer|float|weights: quantizeDynamic's depthwise option (default: quantizeDynamic's). */
const Q8_DEPTHWISE = arg("q8-depthwise", "") as "integer" | "float" | "weights" | "";
/** --int8-depthwise float|weights: quantizeStatic's depthwise option. */
const INT8_DEPTHWISE = arg("int8-depthwise", "qdq") as "qdq";
/** --int8-weights int8: quantizeStatic's weightType. */
const INT8_WEIGHTS = arg("int8-weights", "uint8") as "uint8";
const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });

type Name = "vad" | "rec" | "cls" | "fashion";
const FILES: Record<Name, string> = {
  vad: MODELS.sileroV5,
  rec: MODELS.ocrRec,
  cls: MODELS.ocrCls,
  fashion: join(FIXTURES, "fashion-cnn", "model.onnx"),
};

/** Calibration inputs of a model (disjoint from the evaluation inputs except for the VAD's frames). */
async function calibrationSamples(name: Name): Promise<EngineFeeds[]> {
  if (name === "rec" || name === "cls") {
    const lines = readTextLines(join(FIXTURES, "text-lines"));
    return Array.from({ length: CALIBRATION }, (_, i) => ({
      x: { type: "float32", ...(name === "rec" ? recLine(lines, i) : clsInput(lines, i)) },
    }));
  }
  if (name === "vad") {
    const { audio } = readSpeech(join(FIXTURES, "speech"));
    const s = await engine.createSession(readFileSync(FILES.vad));
    const every = Math.max(1, Math.floor(audio.length / 512 / CALIBRATION));
    return (await vadProbabilities(s, audio, every)).feeds.slice(0, CALIBRATION);
  }
  const ref = JSON.parse(readFileSync(join(FIXTURES, "fashion-cnn", "reference.json"), "utf8"));
  const train = readFashion(FASHION_DIR, "train", ref.normalisation.mean, ref.normalisation.std);
  return Array.from({ length: 10 }, (_, k) => fashionFeed(train.x, k * 100, 100, ref.onnx.input.name));
}

/** Child process: quantize one model in one mode, report time and peak memory, write the result. */
async function job(spec: string, out: string): Promise<void> {
  const [name, mode] = spec.split(":") as [Name, "q8" | "int8"];
  const samples = mode === "int8" ? await calibrationSamples(name) : [];
  // Peak RSS of the job alone: Linux resets the high-water mark on "5" > /proc/self/clear_refs (getrusage's
  // maxRSS would also count the peak of loading and transpiling the modules before the job).
  const reset = _resetPeakRss();
  const rss0 = process.memoryUsage().rss;
  const bytes: Uint8Array = readFileSync(FILES[name]); // a Buffer is a Uint8Array: no second copy of the file
  const t0 = performance.now();
  let model: ModelProto = readModel(bytes);
  if (Number(model.opsetImport[0]!.version) < 11) model = upgradeOpset(model, 13);
  const r =
    mode === "q8"
      ? quantizeDynamic(model, { convs: Q8_CONVS, ...(Q8_DEPTHWISE ? { depthwise: Q8_DEPTHWISE } : {}) })
      : await quantizeStatic(model, {
          engine,
          samples,
          evaluate: false,
          method: METHOD,
          depthwise: INT8_DEPTHWISE,
          weightType: INT8_WEIGHTS,
          ...(INT8_ADD.length > 0 ? { opTypes: [...INT8_DEFAULT_OP_TYPES, ...INT8_ADD] } : {}),
        });
  const written = writeModel(r.model);
  const seconds = (performance.now() - t0) / 1000;
  const peakRssBytes = (reset ? _peakRss() : process.resourceUsage().maxRSS * 1024) - rss0;
  writeFileSync(out, written);
  const float = r.report.nodes.filter((n) => !n.quantized && /^(Conv|MatMul|Gemm|LSTM)$/.test(n.opType));
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      peakRssBytes,
      fileBytes: bytes.length,
      outBytes: written.length,
      quantized: r.report.nodes.filter((n) => n.quantized).length,
      heavyLeftFloat: float.map((n) => `${n.opType} ${n.name}: ${n.detail}`),
    })}\n`,
  );
}

function _resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** VmHWM of /proc/self/status, bytes. */
function _peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return Number(m?.[1]) * 1024;
}

type Row = Record<string, unknown>;

/** Agreement with the float model (onnxruntime-node), and the feeds and rounds the speed is measured on. */
async function evaluate(
  name: Name,
  floatBytes: Uint8Array,
  quantBytes: Uint8Array,
): Promise<{ row: Row; feeds: EngineFeeds[]; rounds: number }> {
  const sf = await engine.createSession(floatBytes);
  const sq = await engine.createSession(quantBytes);
  if (name === "rec" || name === "cls") {
    const lines = readTextLines(join(FIXTURES, "text-lines"));
    const idx = Array.from({ length: lines.count - CALIBRATION }, (_, i) => CALIBRATION + i);
    const inputs = idx.map((i) => ({
      x: { type: "float32", ...(name === "rec" ? recLine(lines, i) : clsInput(lines, i)) },
    }));
    const read = async (s: InferenceSession) => {
      const out: string[] = [];
      for (const f of inputs) {
        const t = Object.values(await s.run(f))[0]!;
        out.push(
          name === "rec"
            ? ctcDecode(t.data as Float32Array, t.dims)
            : String(clsTop1(t.data as Float32Array, t.dims)),
        );
      }
      return out;
    };
    const a = await read(sf);
    const b = await read(sq);
    const same = a.filter((s, i) => s === b[i]).length;
    if (name === "cls")
      return {
        row: { lines: inputs.length, equal: same / inputs.length },
        feeds: inputs.slice(0, 48),
        rounds: 5,
      };
    const dictionary = recDictionary(join(FILES.rec, "..", "ppocr_keys_v1.txt"));
    const ta = a.map((s) => recText(s, dictionary));
    const tb = b.map((s) => recText(s, dictionary));
    const truth = (t: string[]) => t.filter((s, i) => s === lines.texts[idx[i]!]).length / t.length;
    const row = {
      lines: inputs.length,
      equalText: ta.filter((s, i) => s === tb[i]).length / inputs.length,
      equal: same / inputs.length,
      floatTruth: truth(ta),
      quantTruth: truth(tb),
    };
    return { row, feeds: inputs.slice(0, 16), rounds: 2 };
  }
  if (name === "vad") {
    const { audio } = readSpeech(join(FIXTURES, "speech"));
    const a = await vadProbabilities(sf, audio, 57);
    const b = await vadProbabilities(sq, audio);
    const row = {
      frames: a.probs.length,
      audioSeconds: audio.length / 16000,
      ...compareVad(a.probs, b.probs),
    };
    return { row, feeds: a.feeds, rounds: 10 };
  }
  const ref = JSON.parse(readFileSync(join(FIXTURES, "fashion-cnn", "reference.json"), "utf8"));
  const test = readFashion(FASHION_DIR, "t10k", ref.normalisation.mean, ref.normalisation.std);
  const a = await fashionAccuracy(sf, test);
  const b = await fashionAccuracy(sq, test);
  const feeds = Array.from({ length: 10 }, (_, k) => fashionFeed(test.x, k * 100, 100, sf.inputNames[0]!));
  const row = {
    images: test.n,
    floatAccuracy: a.accuracy,
    quantAccuracy: b.accuracy,
    pytorchPtq: ref.int8Accuracy,
  };
  return { row, feeds, rounds: 3 };
}

/** Float vs quantized ms per run (a batch of 100 for the CNN) in both runtimes, and onnxruntime-node's optimized graph. */
async function speed(floatBytes: Uint8Array, quantBytes: Uint8Array, feeds: EngineFeeds[], rounds: number) {
  // imported here: onnxruntime-web's load would count in the peak memory of the quantizing child
  const { compareSpeed, ENGINES, optimizedOps } = await import("./_speed");
  const out: Row = {};
  for (const [runtime, e] of Object.entries(ENGINES)) {
    out[runtime] = await compareSpeed(e, floatBytes, quantBytes, feeds, rounds);
  }
  out.optimizedGraph = await optimizedOps(quantBytes);
  return out;
}

async function main(): Promise<void> {
  const jobSpec = arg("job", "");
  if (jobSpec !== "") return job(jobSpec, arg("out", ""));
  const names = arg("models", "vad,rec,cls,fashion").split(",") as Name[];
  const dir = mkdtempSync(join(tmpdir(), "quantkit-onnx-bench-"));
  const results: unknown[] = [];
  console.log(
    `CPU: ${cpus()[0]?.model} x ${cpus().length}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        " ",
      )}; onnxruntime-node ${ort.env.versions.node} and onnxruntime-web (WASM), 1 thread each; fixtures ${FIXTURES}`,
  );
  for (const name of names) {
    const floatBytes = new Uint8Array(readFileSync(FILES[name]));
    for (const mode of arg("modes", "q8,int8").split(",") as ("q8" | "int8")[]) {
      const out = join(dir, `${name}-${mode}.onnx`);
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          "--job",
          `${name}:${mode}`,
          "--out",
          out,
          "--fixtures",
          FIXTURES,
          "--method",
          METHOD,
          "--q8-convs",
          Q8_CONVS,
          "--q8-depthwise",
          Q8_DEPTHWISE,
          "--int8-add",
          INT8_ADD.join(","),
          "--int8-depthwise",
          INT8_DEPTHWISE,
          "--int8-weights",
          INT8_WEIGHTS,
        ],
        {
          encoding: "utf8",
          maxBuffer: 1 << 24,
        },
      );
      if (child.status !== 0) {
        console.log(`${name} ${mode}: failed\n${child.stderr}`);
        continue;
      }
      const q = JSON.parse(child.stdout.trim().split("\n").pop()!);
      const quantBytes = new Uint8Array(readFileSync(out));
      const e = await evaluate(name, floatBytes, quantBytes);
      const t = await speed(floatBytes, quantBytes, e.feeds, e.rounds);
      const row = {
        model: name,
        mode,
        ...(mode === "int8"
          ? {
              method: METHOD,
              calibrationSamples: CALIBRATION,
              int8Add: INT8_ADD,
              depthwise: INT8_DEPTHWISE,
              weightType: INT8_WEIGHTS,
            }
          : { convs: Q8_CONVS, depthwise: Q8_DEPTHWISE || (Q8_CONVS === "integer" ? "float" : Q8_CONVS) }),
        ...q,
        ...e.row,
        ...t,
      };
      results.push(row);
      console.log(JSON.stringify(row));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const json = arg("json", "");
  if (json !== "") writeFileSync(json, JSON.stringify(results, null, 2));
}

await main();
