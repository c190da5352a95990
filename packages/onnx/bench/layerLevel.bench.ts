// Issue 17's layer level on the PP-OCRv4 recogniser's MatMuls (tiny-lm's is part of
// languageModel.bench.ts): each method's layer-output MSE against RTN at W4, blocks of 32, on held-out
// activations. Calibration rows: text lines 0..N-1 (as ocrQ4.bench.ts); held-out rows: the next 32 lines.
// Run: pnpm --filter @quantkit/onnx bench:layer-level
//      [--fixtures DIR] [--calibration 32] [--symmetric true|false] [--block-size 32]

import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { collectMatMulInputs, type EngineFeeds, ortEngine, readModel } from "../src/index";
import { MODELS } from "../test/_fixtures";
import { arg, fixturesDir } from "./_args";
import { layerLevel } from "./_layerLevel";
import { readTextLines, recInput } from "./_ocr";

const FIXTURES = fixturesDir();
const CALIBRATION = Number(arg("calibration", "32"));
const symmetric = arg("symmetric", "false") === "true";
const blockSize = Number(arg("block-size", "32"));

console.log(
  `CPU: ${cpus()[0]?.model} x ${cpus().length}, load ${loadavg()[0]!.toFixed(2)}; onnxruntime-node, 1 thread`,
);
const lines = readTextLines(join(FIXTURES, "text-lines"));
const feeds = (from: number, count: number): EngineFeeds[] =>
  Array.from({ length: count }, (_, i) => ({ x: { type: "float32", ...recInput(lines, from + i) } }));
const model = readModel(new Uint8Array(readFileSync(MODELS.ocrRec)));
const engine = ortEngine(ort, { sessionOptions: { intraOpNumThreads: 1 } });
const calibration = await collectMatMulInputs(model, { engine, samples: feeds(0, CALIBRATION) });
const heldout = await collectMatMulInputs(model, { engine, samples: feeds(CALIBRATION, 32) });
console.log(
  `PP-OCRv4 recogniser: calibration lines 0..${CALIBRATION - 1}, held-out lines ${CALIBRATION}..${CALIBRATION + 31}`,
);
layerLevel(model, calibration, heldout, { blockSize, symmetric });
