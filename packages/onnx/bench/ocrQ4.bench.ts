// q4 and q4f16 of the PP-OCRv4 recogniser with each weight-only method (rtn, gptq, awq, hqq; blocks of
// 32 along K), measured: CTC string agreement with the float model on the rendered text lines the
// calibration did not see, file sizes, quantization time (CPU and wall), and a load-and-run check of each
// model in onnxruntime-web (WASM, one thread).
// Run: pnpm --filter @quantkit/onnx bench:ocr-q4 [--fixtures DIR] [--calibration 32]
//      [--methods rtn,rtn-asym,gptq,gptq-asym,awq,awq-asym,hqq] [--json FILE]
// Methods are symmetric (transformers.js's q4, quantizeMatMulNBits' default) unless "-asym"; hqq is
// always asymmetric (float zero points).
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import {
  collectMatMulInputs,
  convertFloatToFloat16,
  type EngineFeeds,
  type InferenceSession,
  ortEngine,
  quantizeMatMulNBits,
  readModel,
  type WeightOnlyMethod,
  writeModel,
} from "../src/index";
import { MODELS } from "../test/_fixtures";
import { arg, fixturesDir } from "./_args";
import { ctcDecode, readTextLines, recInput } from "./_ocr";

const FIXTURES = fixturesDir();
const CALIBRATION = Number(arg("calibration", "32"));
const METHODS = arg("methods", "rtn,rtn-asym,gptq,gptq-asym,awq,awq-asym,hqq").split(",");
const BLOCK_SIZE = 32;
const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The recogniser's dictionary: class c (1-based) is line c of ppocr_keys_v1.txt; the class after the last is a space. */
function dictionary(): string[] {
  const keys = readFileSync(join(MODELS.ocrRec, "..", "ppocr_keys_v1.txt"), "utf8").split("\n");
  if (keys.at(-1) === "") keys.pop();
  return ["", ...keys, " "];
}

const lines = readTextLines(join(FIXTURES, "text-lines"));
const rotated = (
  JSON.parse(readFileSync(join(FIXTURES, "text-lines", "index.json"), "utf8")) as {
    lines: { rotated: boolean }[];
  }
).lines.map((l) => l.rotated);
const feed = (i: number): EngineFeeds => ({ x: { type: "float32", ...recInput(lines, i) } });
const evalIdx = Array.from({ length: lines.count - CALIBRATION }, (_, i) => CALIBRATION + i);
const keys = dictionary();
const text = (decoded: string) =>
  decoded === ""
    ? ""
    : decoded
        .split(",")
        .map((c) => keys[Number(c)] ?? "?")
        .join("");

interface Read {
  strings: string[];
  msMedian: number;
}

async function readAll(session: InferenceSession): Promise<Read> {
  for (const i of evalIdx.slice(0, 3)) await session.run(feed(i)); // warm-up
  const strings: string[] = [];
  const ms: number[] = [];
  for (const i of evalIdx) {
    const t0 = performance.now();
    const r = await session.run(feed(i));
    ms.push(performance.now() - t0);
    const t = Object.values(r)[0]!;
    strings.push(ctcDecode(t.data as Float32Array, t.dims));
  }
  return { strings, msMedian: median(ms) };
}

/** Loads the model in onnxruntime-web (WASM, 1 thread) and reads one evaluation line. */
async function webCheck(bytes: Uint8Array): Promise<string> {
  try {
    const s = await ortWeb.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
    const f = recInput(lines, evalIdx[0]!);
    const r = await s.run({ x: new ortWeb.Tensor("float32", f.data, f.dims) });
    await s.release();
    const t = Object.values(r)[0]!;
    return ctcDecode(t.data as Float32Array, t.dims);
  } catch (e) {
    return `ERROR ${(e as Error).message.split("\n")[0]}`;
  }
}

function compare(float: Read, q: Read) {
  let same = 0;
  let sameUpright = 0;
  let upright = 0;
  let truth = 0;
  evalIdx.forEach((line, j) => {
    const eq = float.strings[j] === q.strings[j];
    if (eq) same++;
    if (!rotated[line]) {
      upright++;
      if (eq) sameUpright++;
    }
    if (text(q.strings[j]!) === lines.texts[line]) truth++;
  });
  return { same, sameUpright, upright, truth };
}

async function main(): Promise<void> {
  ortWeb.env.wasm.numThreads = 1;
  const floatBytes = new Uint8Array(readFileSync(MODELS.ocrRec));
  const model = readModel(floatBytes);
  console.log(
    `CPU: ${cpus()[0]?.model} x ${cpus().length} (load average ${loadavg()[0]!.toFixed(1)}); Node ${process.version}; ` +
      `onnxruntime-node ${ort.env.versions.common}, 1 thread; onnxruntime-web ${ortWeb.env.versions.web} (WASM, 1 thread)`,
  );
  console.log(
    `PP-OCRv4 recogniser; calibration: lines 0..${CALIBRATION - 1}; evaluation: lines ${CALIBRATION}..${lines.count - 1} (${evalIdx.length}, ${evalIdx.filter((i) => !rotated[i]).length} upright)`,
  );
  const float = await readAll(await engine.createSession(floatBytes));
  const fc = compare(float, float);
  console.log(
    `float: ${floatBytes.length} bytes, reads ${fc.truth}/${evalIdx.length} lines exactly as rendered, ${float.msMedian.toFixed(1)} ms/line`,
  );

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const activations = await collectMatMulInputs(model, {
    engine,
    samples: Array.from({ length: CALIBRATION }, (_, i) => feed(i)),
  });
  const cpu0 = process.cpuUsage(c0);
  console.log(
    `collectMatMulInputs: ${activations.size} MatMul inputs, ${((performance.now() - t0) / 1000) | 0} s wall, ` +
      `${((cpu0.user + cpu0.system) / 1e6).toFixed(1)} s CPU (not in the quantize times below)`,
  );

  const results: Record<string, unknown>[] = [];
  // "<method>-asym": asymmetric blocks (ONNX Runtime's default) instead of symmetric (transformers.js's q4).
  const variants: { name: string; method: WeightOnlyMethod; symmetric?: boolean }[] = METHODS.map((m) =>
    m.endsWith("-asym")
      ? { name: m, method: m.slice(0, -5) as WeightOnlyMethod, symmetric: false }
      : { name: m, method: m as WeightOnlyMethod },
  );
  const fp16 = writeModel(convertFloatToFloat16(model).model);
  const header = [
    "model",
    "method",
    "bytes",
    "vs float",
    "quantize s CPU",
    "wall s",
    "same string",
    "upright",
    "truth",
    "ms/line",
    "onnxruntime-web",
  ];
  const table: string[][] = [header];
  const add = async (
    name: string,
    method: string,
    bytes: Uint8Array,
    cpuS: number,
    wallS: number,
  ): Promise<void> => {
    const session = await engine.createSession(bytes);
    const q = await readAll(session);
    await session.release?.();
    const c = compare(float, q);
    const web = await webCheck(bytes);
    const webOk =
      web === q.strings[0] ? "runs, same string" : web.startsWith("ERROR") ? web : "runs, other string";
    const row = {
      model: name,
      method,
      bytes: bytes.length,
      ratio: bytes.length / floatBytes.length,
      quantizeCpuSeconds: cpuS,
      quantizeWallSeconds: wallS,
      sameString: c.same / evalIdx.length,
      sameStringUpright: c.sameUpright / c.upright,
      readsTruth: c.truth / evalIdx.length,
      msPerLine: q.msMedian,
      web: webOk,
    };
    results.push(row);
    table.push([
      name,
      method,
      bytes.length.toLocaleString("en-US"),
      row.ratio.toFixed(3),
      cpuS.toFixed(2),
      wallS.toFixed(2),
      `${(100 * row.sameString).toFixed(1)}% (${c.same})`,
      `${(100 * row.sameStringUpright).toFixed(1)}%`,
      `${(100 * row.readsTruth).toFixed(1)}%`,
      q.msMedian.toFixed(1),
      webOk,
    ]);
    console.log(JSON.stringify(row));
  };
  await add("fp16", "-", fp16, 0, 0);
  for (const v of variants) {
    for (const precision of ["q4", "q4f16"] as const) {
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      const r = quantizeMatMulNBits(model, {
        bits: 4,
        blockSize: BLOCK_SIZE,
        method: v.method,
        ...(v.symmetric === undefined ? {} : { symmetric: v.symmetric }),
        scaleType: precision === "q4" ? "float32" : "float16",
        ...(v.method === "gptq" || v.method === "awq" ? { activations } : {}),
      });
      const out = precision === "q4" ? r.model : convertFloatToFloat16(r.model).model;
      const bytes = writeModel(out);
      const cpu = process.cpuUsage(c1);
      await add(precision, v.name, bytes, (cpu.user + cpu.system) / 1e6, (performance.now() - t1) / 1000);
    }
  }
  const widths = header.map((_, j) => Math.max(...table.map((r) => r[j]!.length)));
  console.log();
  for (const r of table) console.log(r.map((c, j) => c.padEnd(widths[j]!)).join("  "));
  const json = arg("json", "");
  if (json !== "") writeFileSync(json, JSON.stringify(results, null, 2));
}

await main();
