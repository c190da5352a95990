import { stat } from "node:fs/promises";
import {
  collectMatMulInputs,
  type EngineFeeds,
  type InferenceEngine,
  type ModelProto,
  ortEngine,
  type QuantizationReport,
  quantizeDynamic,
  quantizeMatMulNBits,
  valueType,
  writeModel,
} from "@quantkit/onnx";
import { readModelFile, writeModelFile } from "@quantkit/onnx/node";
import type { CliIo } from "../io";
import { Progress } from "../progress";
import { type CalibrationSample, type GraphInput, readCalibrationSamples } from "./calibrationSamples";
import { evaluateOutputs } from "./evaluateOutputs";
import { usageError } from "./onnxCommand";
import type { OnnxQuantizeOptions } from "./quantizeOptions";
import { formatQuantizeReport, type OnnxQuantizeJson } from "./quantizeReport";

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

/** Every node name of every graph, for --exclude. */
function nodeNames(report: QuantizationReport): Set<string> {
  return new Set(report.nodes.map((n) => n.name));
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

  const t0 = performance.now();
  let quantized: ModelProto;
  let report: QuantizationReport;
  const perChannel = opts.perChannel ?? true;
  switch (opts.mode) {
    case "q8": {
      ({ model: quantized, report } = quantizeDynamic(model, {
        perChannel,
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
      }));
      break;
    }
    case "q4": {
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
      progress.stop();
      ({ model: quantized, report } = quantizeMatMulNBits(model, {
        bits: 4,
        blockSize: opts.blockSize ?? 32,
        method,
        ...(activations ? { activations } : {}),
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
      }));
      break;
    }
    default:
      throw usageError(`--mode ${opts.mode} is not in @quantkit/onnx yet`);
  }
  const quantizeMs = performance.now() - t0;
  if (opts.exclude) {
    const names = nodeNames(report);
    const missing = opts.exclude.filter((n) => !names.has(n));
    if (missing.length > 0) throw usageError(`--exclude: ${file} has no node named "${missing[0]}"`);
  }
  const bytes = writeModel(quantized);

  // Load the written bytes in onnxruntime-node before anything is saved: a model it cannot load is an error.
  const t1 = performance.now();
  const evaluation = await evaluateOutputs(engine, writeModel(model), bytes, feeds, {
    signal,
    onProgress: (done) => progress.update("evaluate", "SQNR against the float model", done, feeds.length),
  });
  progress.stop();
  const evaluateMs = performance.now() - t1;

  await writeModelFile(opts.output, quantized);
  const json: OnnxQuantizeJson = {
    input: file,
    output: opts.output,
    mode: opts.mode,
    perChannel,
    ...(opts.mode === "q4" ? { blockSize: opts.blockSize ?? 32, method: opts.method ?? "rtn" } : {}),
    fileBytesBefore: (await stat(file)).size,
    fileBytesAfter: bytes.length,
    quantizeMs,
    evaluateMs,
    samples: samples.length,
    outputSqnrDb: evaluation.outputSqnrDb,
    report,
  };
  io.out(opts.json ? `${JSON.stringify(json, null, 2)}\n` : formatQuantizeReport(json));
  return 0;
}
