import type { EngineFeeds, EngineTensor, InferenceEngine } from "@quantkit/onnx";

/** What {@link evaluateOutputs} measured. */
export interface OutputEvaluation {
  /** Per float32 graph output: 10 log10(sum f^2 / sum (f - q)^2) over every sample; Infinity when equal. */
  outputSqnrDb: Record<string, number>;
}

/**
 * Loads the quantized model in `engine` (so a model the runtime cannot load fails here, before
 * anything is written) and, for each sample, runs both models and accumulates the signal and the
 * error of each float32 output of the quantized model against the float model's.
 */
export async function evaluateOutputs(
  engine: InferenceEngine,
  floatBytes: Uint8Array,
  quantizedBytes: Uint8Array,
  samples: readonly EngineFeeds[],
  options: { signal?: AbortSignal | undefined; onProgress?: (done: number) => void } = {},
): Promise<OutputEvaluation> {
  let q: Awaited<ReturnType<InferenceEngine["createSession"]>>;
  try {
    q = await engine.createSession(quantizedBytes);
  } catch (error) {
    throw new Error(`onnxruntime-node cannot load the quantized model: ${(error as Error).message}`);
  }
  const signal = new Map<string, number>();
  const noise = new Map<string, number>();
  try {
    if (samples.length === 0) return { outputSqnrDb: {} };
    const f = await engine.createSession(floatBytes);
    try {
      for (const [i, sample] of samples.entries()) {
        if (options.signal?.aborted) throw new Error(`stopped after ${i} evaluation samples`);
        const a = await f.run(sample);
        const b = await q.run(sample);
        for (const name of f.outputNames) _accumulate(name, a[name], b[name], signal, noise);
        options.onProgress?.(i + 1);
      }
    } finally {
      await f.release?.();
    }
  } finally {
    await q.release?.();
  }
  const outputSqnrDb: Record<string, number> = {};
  for (const [name, s] of signal) {
    const e = noise.get(name)!;
    outputSqnrDb[name] = e === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(s / e);
  }
  return { outputSqnrDb };
}

function _accumulate(
  name: string,
  f: EngineTensor | undefined,
  q: EngineTensor | undefined,
  signal: Map<string, number>,
  noise: Map<string, number>,
): void {
  if (f === undefined || q === undefined || f.type !== "float32" || q.type !== "float32") return;
  const fd = f.data as Float32Array;
  const qd = q.data as Float32Array;
  if (fd.length !== qd.length)
    throw new RangeError(
      `output "${name}": ${fd.length} values from the float model, ${qd.length} quantized`,
    );
  let s = 0;
  let e = 0;
  for (let i = 0; i < fd.length; i++) {
    s += fd[i]! * fd[i]!;
    e += (fd[i]! - qd[i]!) ** 2;
  }
  signal.set(name, (signal.get(name) ?? 0) + s);
  noise.set(name, (noise.get(name) ?? 0) + e);
}
