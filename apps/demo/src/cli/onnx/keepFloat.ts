import {
  type EngineFeeds,
  type InferenceEngine,
  type ModelProto,
  type NodeSensitivity,
  sensitivity,
} from "@quantkit/onnx";

/** At most this many samples measure the sensitivity (each quantized node runs once over them). */
export const KEEP_FLOAT_SAMPLES = 32;

/**
 * `--keep-float N`: the N nodes whose quantization costs the model's outputs the most, by
 * @quantkit/onnx's leave-one-out `sensitivity` on (at most 32 of) the calibration samples; int8
 * calibrates on all of them. Only nodes that win something back (gain > 0 dB) are kept float.
 */
export async function chooseKeepFloat(
  model: ModelProto,
  mode: "q8" | "int8",
  count: number,
  engine: InferenceEngine,
  feeds: readonly EngineFeeds[],
  quantizeOptions: {
    perChannel: boolean;
    depthwise?: "integer" | "qdq" | "float" | "weights";
    exclude?: string[];
    method?: string;
  },
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<NodeSensitivity[]> {
  const step = Math.max(1, Math.floor(feeds.length / KEEP_FLOAT_SAMPLES));
  const samples = feeds.filter((_, i) => i % step === 0).slice(0, KEEP_FLOAT_SAMPLES);
  const { method, depthwise, ...common } = quantizeOptions;
  // The caller passes the layout its mode takes (q8: integer / float / weights, int8: qdq / float / weights).
  const layout = depthwise === undefined ? {} : { depthwise: depthwise as "float" };
  const s = await sensitivity(model, {
    engine,
    mode,
    samples,
    ...(mode === "int8" ? { calibrationSamples: feeds } : {}),
    quantizeOptions:
      mode === "int8" && method !== undefined
        ? { ...common, ...layout, method: method as "minmax" }
        : { ...common, ...layout },
    onProgress,
    ...(signal ? { signal } : {}),
  });
  return s.nodes.filter((n) => n.gainDb > 0).slice(0, count);
}
