import { stat } from "node:fs/promises";
import {
  allNodes,
  collectMatMulInputs,
  convertFloatToFloat16,
  type EngineFeeds,
  evaluateQuantization,
  type Float16Report,
  type InferenceEngine,
  type ModelProto,
  type NodeSensitivity,
  opsetVersion,
  ortEngine,
  type QuantizationReport,
  quantizeDynamic,
  quantizeMatMulNBits,
  quantizeStatic,
  upgradeOpset,
  valueType,
  writeModel,
} from "@quantkit/onnx";
import { readModelFile, writeModelFile } from "@quantkit/onnx/node";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { assertLoads } from "./assertLoads";
import { type CalibrationSample, type GraphInput, readCalibrationSamples } from "./calibrationSamples";
import { chooseKeepFloat } from "./keepFloat";
import type { OnnxQuantizeOptions } from "./quantizeOptions";
import { formatQuantizeReport, type OnnxQuantizeJson } from "./quantizeReport";
import { usageError } from "./usageError";

/** The graph inputs a sample must feed (initializers listed as inputs are not). */
export function graphInputs(model: ModelProto): GraphInput[] {
  const g = model.graph!;
  const initializers = new Set(g.initializer.map((t) => t.name));
  return g.input
    .filter((v) => !initializers.has(v.name))
    .map((v) => {
      const t = valueType(g, v.name);
      return { name: v.name, elemType: t?.elemType ?? 0, shape: t?.shape };
    });
}

/** onnxruntime-node as an InferenceEngine: one intra-op thread per core, all graph optimizations. */
async function nodeEngine(): Promise<InferenceEngine> {
  const ort = await import("onnxruntime-node");
  return ortEngine(ort, { sessionOptions: { graphOptimizationLevel: "all" } });
}

/**
 * `quantkit onnx quantize FILE --mode MODE -o OUT`: reads the model, quantizes it with
 * @quantkit/onnx, loads the result in onnxruntime-node (and with --calibration measures the SQNR of
 * its outputs against the float model's on those samples), then writes it atomically. Nothing is
 * written when any step fails. Prints the report (or --json).
 */
export async function onnxQuantizeCommand(
  file: string,
  opts: OnnxQuantizeOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const model = await readModelFile(file);
  const inputs = graphInputs(model);
  let samples: CalibrationSample[] = [];
  if (opts.calibration !== undefined)
    samples = await readCalibrationSamples(opts.calibration, inputs, opts.maxSamples);
  const progress = new Progress(io, opts.progress && !opts.json && io.errIsTTY);
  const feeds = samples.map((s) => s.feeds as unknown as EngineFeeds);
  const engine = await nodeEngine();

  if (opts.exclude) {
    const names = new Set(allNodes(model).map((n) => n.node.name));
    const missing = opts.exclude.filter((n) => !names.has(n));
    if (missing.length > 0) throw usageError(`--exclude: ${file} has no node named "${missing[0]}"`);
  }
  const perChannel = opts.perChannel ?? true;
  // onnxCommand has checked that --depthwise fits the mode: q8's layouts lack "qdq", int8's "integer".
  const q8Depthwise =
    opts.mode === "q8" && opts.depthwise !== undefined && opts.depthwise !== "qdq"
      ? { depthwise: opts.depthwise }
      : {};
  const int8Depthwise =
    opts.mode === "int8" && opts.depthwise !== undefined && opts.depthwise !== "integer"
      ? { depthwise: opts.depthwise }
      : {};
  const opsetBefore = opsetVersion(model, "") ?? 0;
  let keptFloat: NodeSensitivity[] | undefined;
  if (opts.keepFloat !== undefined && opts.keepFloat > 0) {
    if (opts.mode !== "q8" && opts.mode !== "int8")
      throw usageError(`--keep-float applies to --mode q8 and int8, got --mode ${opts.mode}`);
    if (feeds.length === 0)
      throw usageError("--keep-float needs --calibration <dir> (the samples it measures on)");
    // The same opset upgrades as the modes below make.
    const source = opsetBefore < (opts.mode === "q8" ? 11 : 10) ? upgradeOpset(model, 13) : model;
    keptFloat = await chooseKeepFloat(
      source,
      opts.mode,
      opts.keepFloat,
      engine,
      feeds,
      {
        perChannel,
        ...q8Depthwise,
        ...int8Depthwise,
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
        ...(opts.calibrator ? { method: opts.calibrator } : {}),
      },
      (done, total) => progress.update("sensitivity", "leave-one-out sensitivity", done, total),
      signal,
    );
    progress.stop();
  }
  const excluded = [...(opts.exclude ?? []), ...(keptFloat ?? []).map((n) => n.node)];
  const exclude = excluded.length > 0 ? { exclude: excluded } : {};
  const evaluateProgress = (done: number) =>
    progress.update("evaluate", "SQNR against the float model", done, feeds.length);

  const t0 = performance.now();
  let quantized: ModelProto;
  let report: QuantizationReport | Float16Report;
  let evaluated = false;
  switch (opts.mode) {
    case "fp16": {
      ({ model: quantized, report } = convertFloatToFloat16(model, {
        ...(opts.exclude ? { nodeBlockList: opts.exclude } : {}),
      }));
      break;
    }
    case "q8": {
      // DynamicQuantizeLinear needs opset 11: older models (PP-OCR's 9) are upgraded to 13 first.
      const source = opsetBefore < 11 ? upgradeOpset(model, 13) : model;
      ({ model: quantized, report } = quantizeDynamic(source, { perChannel, ...q8Depthwise, ...exclude }));
      break;
    }
    case "int8": {
      // quantizeStatic upgrades opsets 10..12 itself; older ones (PP-OCR's 9) are upgraded here.
      const source = opsetBefore < 10 ? upgradeOpset(model, 13) : model;
      ({ model: quantized, report } = await quantizeStatic(source, {
        engine,
        samples: feeds,
        method: opts.calibrator ?? "minmax",
        perChannel,
        ...int8Depthwise,
        ...exclude,
        ...(signal ? { signal } : {}),
        onProgress: (done) =>
          progress.update("calibrate", "calibrating activation ranges", done, feeds.length),
      }));
      evaluated = true;
      break;
    }
    case "q4":
    case "q4f16": {
      const method = opts.method ?? "rtn";
      const activations =
        method === "gptq" || method === "awq"
          ? await collectMatMulInputs(model, {
              engine,
              samples: feeds,
              ...(signal ? { signal } : {}),
              onProgress: (done) => progress.update("collect", "layer inputs (gptq/awq)", done, feeds.length),
            })
          : undefined;
      ({ model: quantized, report } = quantizeMatMulNBits(model, {
        bits: 4,
        blockSize: opts.blockSize ?? 32,
        method,
        scaleType: opts.mode === "q4f16" ? "float16" : "float32",
        opTypes: opts.opTypes ?? ["MatMul"],
        ...(activations ? { activations } : {}),
        ...exclude,
      }));
      // q4f16 (transformers.js): float16 scales need float16 activations, so the rest goes float16 too
      // (inputs and outputs kept float32, as --mode fp16).
      if (opts.mode === "q4f16") quantized = convertFloatToFloat16(quantized).model;
      break;
    }
    default:
      throw usageError(`--mode ${opts.mode} is not in @quantkit/onnx yet`);
  }
  progress.stop();
  const quantizeMs = performance.now() - t0;
  const bytes = writeModel(quantized);

  // The written bytes are loaded in onnxruntime-node before anything is saved: a model it cannot load is
  // an error. The SQNR figures (per quantized node and per output; fp16 has outputs only) come from
  // @quantkit/onnx's evaluateQuantization (quantizeStatic has run it already).
  const t1 = performance.now();
  await assertLoads(engine, bytes);
  if (!evaluated && feeds.length > 0) {
    await evaluateQuantization(model, quantized, report, {
      engine,
      samples: feeds,
      onProgress: evaluateProgress,
      ...(signal ? { signal } : {}),
    });
  }
  const outputSqnrDb = report.outputSqnrDb ?? {};
  progress.stop();
  const evaluateMs = performance.now() - t1;

  await writeModelFile(opts.output, quantized);
  const json: OnnxQuantizeJson = {
    input: file,
    output: opts.output,
    mode: opts.mode,
    perChannel,
    ...(opts.mode === "q4" || opts.mode === "q4f16"
      ? { blockSize: opts.blockSize ?? 32, method: opts.method ?? "rtn", opTypes: opts.opTypes ?? ["MatMul"] }
      : {}),
    ...(opts.mode === "int8" ? { calibrator: opts.calibrator ?? "minmax" } : {}),
    ...(keptFloat
      ? { keptFloat: keptFloat.map((n) => ({ node: n.node, opType: n.opType, gainDb: n.gainDb })) }
      : {}),
    opsetBefore,
    opsetAfter: opsetVersion(quantized, "") ?? 0,
    fileBytesBefore: (await stat(file)).size,
    fileBytesAfter: bytes.length,
    quantizeMs,
    evaluateMs,
    samples: samples.length,
    outputSqnrDb,
    report,
  };
  io.out(opts.json ? `${JSON.stringify(json, null, 2)}\n` : formatQuantizeReport(json));
  return 0;
}
