/**
 * One quantization in a process of its own, so that its peak memory is its own: `node --import tsx
 * --conditions=@quantkit/source quantizeChild.ts <model id> <mode> <samples> <out.onnx> <repo root>`.
 * Prints one JSON line: the quantization time (model read to bytes written), the peak resident memory
 * above what the process held before reading the model, and the sizes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  convertFloatToFloat16,
  type EngineFeeds,
  opsetVersion,
  ortEngine,
  quantizeDynamic,
  quantizeStatic,
  readModel,
  upgradeOpset,
  writeModel,
} from "@quantkit/onnx";
import * as ort from "onnxruntime-node";
import { REAL_MODELS } from "./realModels";

const [id, mode, count, out, root] = process.argv.slice(2) as [string, string, string, string, string];
const model = REAL_MODELS.find((m) => m.id === id);
if (!model) throw new Error(`quantizeChild: no model ${id}`);
const samples = mode === "int8" ? (model.inputs(root, Number(count)) as unknown as EngineFeeds[]) : [];
const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const floatModel = readModel(readFileSync(model.path), { name: model.path });
let bytes: Uint8Array;
if (mode === "fp16") bytes = writeModel(convertFloatToFloat16(floatModel).model);
else if (mode === "q8") {
  const source = (opsetVersion(floatModel, "") ?? 0) < 11 ? upgradeOpset(floatModel, 13) : floatModel;
  bytes = writeModel(quantizeDynamic(source).model);
} else if (mode === "int8") {
  // quantizeStatic upgrades opsets 10..12 itself; PP-OCR's opset 9 is upgraded here.
  const source = (opsetVersion(floatModel, "") ?? 0) < 10 ? upgradeOpset(floatModel, 13) : floatModel;
  bytes = writeModel((await quantizeStatic(source, { engine, samples, evaluate: false })).model);
} else throw new Error(`quantizeChild: no mode ${mode}`);
const ms = performance.now() - t0;
const peakRssBytes = process.resourceUsage().maxRSS * 1024 - rss0;
writeFileSync(out, bytes);
process.stdout.write(
  `${JSON.stringify({ ms, peakRssBytes, fileBytes: readFileSync(model.path).length, outBytes: bytes.length, samples: samples.length })}\n`,
);
