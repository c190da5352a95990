/**
 * The modes of @quantkit/onnx the page offers, behind one call: the model in, the quantized model and
 * a row per node (how it runs now, or why it stayed float) out.
 */
import {
  type EngineFeeds,
  type InferenceEngine,
  type ModelProto,
  type NodeReport,
  quantizeDynamic,
} from "@quantkit/onnx";
import type { OnnxMode } from "./jobs";

/** The modes offered, in the order shown. */
export const PAGE_MODES: readonly { mode: OnnxMode; label: string; title: string }[] = [
  { mode: "q8", label: "q8 (dynamic)", title: "int8 weights, activations quantized at run time" },
];

export interface QuantizeModelOptions {
  perChannel: boolean;
  engine: InferenceEngine;
  samples: EngineFeeds[];
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

export async function quantizeModel(
  model: ModelProto,
  mode: OnnxMode,
  options: QuantizeModelOptions,
): Promise<{ model: ModelProto; nodes: NodeReport[] }> {
  switch (mode) {
    case "q8": {
      const { model: out, report } = quantizeDynamic(model, { perChannel: options.perChannel });
      return { model: out, nodes: report.nodes };
    }
    default:
      throw new RangeError(`mode ${JSON.stringify(mode)} is not in @quantkit/onnx yet`);
  }
}
