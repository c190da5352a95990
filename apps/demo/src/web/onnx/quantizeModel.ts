/**
 * The modes of @quantkit/onnx the page offers, behind one call: the model in; the quantized model, a
 * row per node (how it runs now, or why it stayed float, and its SQNR) and the outputs' SQNR out.
 */
import {
  collectMatMulInputs,
  convertFloatToFloat16,
  type EngineFeeds,
  evaluateQuantization,
  type InferenceEngine,
  type ModelProto,
  type NodeReport,
  opsetVersion,
  quantizeDynamic,
  quantizeMatMulNBits,
  quantizeStatic,
  upgradeOpset,
  type WeightOnlyMethod,
  type WeightOnlyOpType,
} from "@quantkit/onnx";
import type { OnnxMode } from "./jobs";

/** The modes offered, in the order shown. */
export const PAGE_MODES: readonly { mode: OnnxMode; label: string; title: string }[] = [
  { mode: "fp16", label: "fp16", title: "float16 weights and compute, float32 inputs and outputs kept" },
  { mode: "q8", label: "q8 (dynamic)", title: "int8 weights, activations quantized at run time" },
  { mode: "int8", label: "int8 (static)", title: "QDQ: activation ranges calibrated on the example inputs" },
  {
    mode: "q4",
    label: "q4",
    title: "4-bit blocks of MatMul weights (MatMulNBits), float32 scales and compute",
  },
  {
    mode: "q4f16",
    label: "q4f16",
    title: "4-bit blocks with float16 scales, the rest float16 (float32 inputs and outputs kept)",
  },
];

/** The block sizes q4 and q4f16 offer (MatMulNBits takes powers of two from 16). */
export const Q4_BLOCK_SIZES: readonly number[] = [16, 32, 64, 128, 256];

export interface QuantizeModelOptions {
  perChannel: boolean;
  /** q4 / q4f16 (default rtn, blocks of 32, MatMul only; with "Gather" the embedding tables too). */
  method?: WeightOnlyMethod;
  blockSize?: number;
  opTypes?: readonly WeightOnlyOpType[];
  engine: InferenceEngine;
  /** Calibration (int8) and evaluation samples. */
  samples: EngineFeeds[];
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

export interface QuantizeModelResult {
  model: ModelProto;
  nodes: NodeReport[];
  /** Undefined when the mode's report has no output SQNR (fp16): the caller measures it. */
  outputSqnrDb: Record<string, number> | undefined;
}

export async function quantizeModel(
  model: ModelProto,
  mode: OnnxMode,
  options: QuantizeModelOptions,
): Promise<QuantizeModelResult> {
  const { engine, samples, perChannel } = options;
  switch (mode) {
    case "fp16": {
      const { model: out, report } = convertFloatToFloat16(model);
      const nodes: NodeReport[] = report.blockedNodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        graph: n.path,
        quantized: false,
        detail: n.reason ?? `${n.opType} is on the float16 block list`,
      }));
      return { model: out, nodes, outputSqnrDb: undefined };
    }
    case "q8": {
      // DynamicQuantizeLinear needs opset 11: older models (PP-OCR's 9) are upgraded to 13 first.
      const source = (opsetVersion(model, "") ?? 0) < 11 ? upgradeOpset(model, 13) : model;
      const { model: out, report } = quantizeDynamic(source, { perChannel });
      await evaluateQuantization(model, out, report, { engine, samples });
      return { model: out, nodes: report.nodes, outputSqnrDb: report.outputSqnrDb ?? {} };
    }
    case "int8": {
      // quantizeStatic upgrades opsets 10..12 itself; older ones (PP-OCR's 9) are upgraded here.
      const source = (opsetVersion(model, "") ?? 0) < 10 ? upgradeOpset(model, 13) : model;
      const { model: out, report } = await quantizeStatic(source, {
        engine,
        samples,
        perChannel,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return { model: out, nodes: report.nodes, outputSqnrDb: report.outputSqnrDb ?? {} };
    }
    case "q4":
    case "q4f16": {
      const method = options.method ?? "rtn";
      const activations =
        method === "gptq" || method === "awq"
          ? await collectMatMulInputs(model, {
              engine,
              samples,
              ...(options.signal ? { signal: options.signal } : {}),
              ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            })
          : undefined;
      const { model: q4, report } = quantizeMatMulNBits(model, {
        bits: 4,
        blockSize: options.blockSize ?? 32,
        method,
        scaleType: mode === "q4f16" ? "float16" : "float32",
        opTypes: options.opTypes ?? ["MatMul"],
        ...(activations ? { activations } : {}),
      });
      // float16 scales need float16 activations: q4f16 is q4 with float16 scales, then fp16.
      const out = mode === "q4f16" ? convertFloatToFloat16(q4).model : q4;
      await evaluateQuantization(model, out, report, { engine, samples });
      return { model: out, nodes: report.nodes, outputSqnrDb: report.outputSqnrDb ?? {} };
    }
  }
}
