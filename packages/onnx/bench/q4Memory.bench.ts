// Time and peak memory of q4 quantization, each run in a child process of its own so that its peak is its
// own: the tiny-lm fixture with GPTQ and AWQ (blocks of 32, asymmetric, calibration as
// languageModel.bench.ts collects it: 32 windows of 128 tokens) and the PP-OCRv4 recogniser with RTN and
// GPTQ (blocks of 32, symmetric, calibration on text lines 0..31 as ocrQ4.bench.ts). Two children per run:
// one collects the MatMul inputs (its time and peak), one reads the model, quantizes it and writes the bytes
// (its time and peak, with the activations loaded from a temporary file before the baseline is taken).
// Peak = process.resourceUsage().maxRSS minus the RSS before the model is read. Medians of --runs (3).
// --hashes instead prints the sha256 of every q4 file (rtn / gptq / awq / hqq, MatMulNBits and opset-21
// DequantizeLinear, blocks of 32 and 128) of both models, to check that a change keeps the bytes.
//   pnpm --filter @quantkit/onnx bench:q4-memory [--runs 3] [--hashes]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import type { ModelProto } from "../src/_gen/onnx_pb";
import type { EngineFeeds } from "../src/InferenceEngine";
import {
  collectMatMulInputs,
  ortEngine,
  quantizeMatMulNBits,
  readModel,
  setOpsetVersion,
  type WeightOnlyMethod,
  writeModel,
} from "../src/index";
import { MODELS } from "../test/_fixtures";
import { readTextLines, recInput } from "./_ocr";
import { calibrationSamples, encode, readTinyLm, TINY_LM_DIR } from "./_tinyLm";

type ModelId = "tiny-lm" | "recogniser";
interface Case {
  model: ModelId;
  method: WeightOnlyMethod;
  blockSize: number;
  format: "MatMulNBits" | "QDQ";
}

const SELF = fileURLToPath(import.meta.url);
const FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
const path = (id: ModelId) => (id === "tiny-lm" ? join(TINY_LM_DIR, "model.onnx") : MODELS.ocrRec);
// each bench's setting (hqq has float zero points: asymmetric only)
const symmetric = (c: Case) => c.model === "recogniser" && c.method !== "hqq";
const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function samples(id: ModelId): EngineFeeds[] {
  if (id === "tiny-lm") {
    const lm = readTinyLm();
    return calibrationSamples(encode(lm.vocab, lm.calibration), 32, lm.reference.maxSequence);
  }
  const lines = readTextLines(join(FIXTURES, "text-lines"));
  return Array.from({ length: 32 }, (_, i) => ({ x: { type: "float32", ...recInput(lines, i) } }));
}

function saveActivations(file: string, a: Map<string, Float32Array>): void {
  const names = [...a.keys()];
  const header = Buffer.from(JSON.stringify(names.map((n) => [n, a.get(n)!.length])));
  const parts = [Buffer.alloc(4), header, ...names.map((n) => Buffer.from(a.get(n)!.buffer))];
  parts[0]!.writeUInt32LE(header.length);
  writeFileSync(file, Buffer.concat(parts));
}

function loadActivations(file: string): Map<string, Float32Array> {
  const b = readFileSync(file);
  const n = b.readUInt32LE(0);
  const entries = JSON.parse(b.subarray(4, 4 + n).toString()) as [string, number][];
  const out = new Map<string, Float32Array>();
  let at = 4 + n;
  for (const [name, length] of entries) {
    const f = new Float32Array(length);
    new Uint8Array(f.buffer).set(b.subarray(at, at + length * 4));
    out.set(name, f);
    at += length * 4;
  }
  return out;
}

const peakAbove = (rss0: number) => process.resourceUsage().maxRSS * 1024 - rss0;

/** Child: collect the MatMul inputs of a model (time, peak) into `file`. */
async function collectChild(id: ModelId, file: string): Promise<void> {
  const feeds = samples(id);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = readModel(readFileSync(path(id)));
  const a = await collectMatMulInputs(model, { engine, samples: feeds });
  const ms = performance.now() - t0;
  const peakRssBytes = peakAbove(rss0);
  saveActivations(file, a);
  process.stdout.write(`${JSON.stringify({ ms, peakRssBytes })}\n`);
}

/** Child: read, quantize and write one model (time, peak, size, sha256 of the bytes). */
function quantizeChild(c: Case, file: string): void {
  const activations = c.method === "gptq" || c.method === "awq" ? loadActivations(file) : undefined;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model: ModelProto = readModel(readFileSync(path(c.model)));
  // The QDQ format needs opset 21: only the import is raised (the bytes are compared, not run).
  if (c.format === "QDQ") setOpsetVersion(model, "", 21);
  const { model: q } = quantizeMatMulNBits(model, {
    method: c.method,
    blockSize: c.blockSize,
    format: c.format,
    symmetric: symmetric(c),
    ...(activations === undefined ? {} : { activations }),
  });
  const bytes = writeModel(q);
  const ms = performance.now() - t0;
  const peakRssBytes = peakAbove(rss0);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  process.stdout.write(`${JSON.stringify({ ms, peakRssBytes, outBytes: bytes.length, sha256 })}\n`);
}

function child(args: string[]): Record<string, number | string> {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@quantkit/source", SELF, ...args],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--collect") return collectChild(args[1] as ModelId, args[2]!);
  if (args[0] === "--quantize") return quantizeChild(JSON.parse(args[1]!) as Case, args[2]!);
  const at = args.indexOf("--runs");
  const runs = at < 0 ? 3 : Number(args[at + 1]);
  const dir = mkdtempSync(join(tmpdir(), "q4mem-"));
  try {
    console.log(
      `CPU: ${cpus()[0]?.model} x ${cpus().length} (load average ${loadavg()[0]!.toFixed(1)}); Node ${process.version}; onnxruntime-node, 1 thread`,
    );
    const models: ModelId[] = ["tiny-lm", "recogniser"];
    const collected = new Map<ModelId, Record<string, number | string>[]>();
    for (const id of models) {
      const file = join(dir, `${id}.bin`);
      const rs = Array.from({ length: args.includes("--hashes") ? 1 : runs }, () =>
        child(["--collect", id, file]),
      );
      collected.set(id, rs);
    }
    if (args.includes("--hashes")) {
      for (const id of models) {
        for (const format of ["MatMulNBits", "QDQ"] as const) {
          for (const blockSize of [32, 128]) {
            for (const method of ["rtn", "gptq", "awq", "hqq"] as WeightOnlyMethod[]) {
              const c: Case = { model: id, method, blockSize, format };
              const r = child(["--quantize", JSON.stringify(c), join(dir, `${id}.bin`)]);
              console.log(`${r.sha256}  ${id} ${format} ${method} b${blockSize}`);
            }
          }
        }
      }
      return;
    }
    console.log(
      "| model | method | collect ms | collect peak MB | quantize + write ms | quantize peak MB | q4 bytes |",
    );
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    const cases: Case[] = [
      { model: "tiny-lm", method: "gptq", blockSize: 32, format: "MatMulNBits" },
      { model: "tiny-lm", method: "awq", blockSize: 32, format: "MatMulNBits" },
      { model: "recogniser", method: "rtn", blockSize: 32, format: "MatMulNBits" },
      { model: "recogniser", method: "gptq", blockSize: 32, format: "MatMulNBits" },
    ];
    for (const c of cases) {
      const rs = Array.from({ length: runs }, () =>
        child(["--quantize", JSON.stringify(c), join(dir, `${c.model}.bin`)]),
      );
      const col = collected.get(c.model)!;
      const needs = c.method !== "rtn";
      const pick = (xs: Record<string, number | string>[], k: string) =>
        median(xs.map((x) => x[k] as number));
      console.log(
        `| ${c.model} | ${c.method} | ${needs ? pick(col, "ms").toFixed(0) : "-"} | ${needs ? mb(pick(col, "peakRssBytes")) : "-"} | ` +
          `${pick(rs, "ms").toFixed(0)} | ${mb(pick(rs, "peakRssBytes"))} (${rs.map((r) => mb(r.peakRssBytes as number)).join(", ")}) | ${rs[0]!.outBytes} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
