import { _checkOptions, _show } from "./_errors";
import { _exposeTensors } from "./_expose";
import type { ModelProto } from "./_gen/onnx_pb";
import type { Float16Report } from "./convertFloatToFloat16";
import type { EngineFeeds, EngineTensor, InferenceEngine } from "./InferenceEngine";
import type { QuantizationReport } from "./quantizationReport";
import { writeModel } from "./writeModel";

/** Options of {@link evaluateQuantization}. */
export interface EvaluateQuantizationOptions {
  engine: InferenceEngine;
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /** Called after each sample with the number done. */
  onProgress?: (samplesDone: number) => void;
  /** Stops between samples with an AbortError. */
  signal?: AbortSignal;
}

/** Signal, noise and value count of one tensor, summed over the samples. */
interface _Sums {
  signal: number;
  noise: number;
  values: number;
}

/**
 * Fills `report` with SQNR figures: for each quantized node, 10 log10(sum f^2 / sum (f - q)^2) of its
 * output in `quantized` (q) against the same tensor in `float` (f), summed over all samples; the same for
 * every graph output (`outputSqnrDb`). Both models run through `options.engine` with the tensors exposed
 * as outputs. A tensor that never had a value (inside an If branch no sample took) gets no figure
 * (`sqnrDb` stays undefined); one equal in both models everywhere gets Infinity. Takes the reports of
 * quantizeDynamic / quantizeStatic / quantizeMatMulNBits (nodes and outputs) and of convertFloatToFloat16
 * (outputs). Returns the report.
 *
 * @example
 * ```ts
 * const { model: q, report } = quantizeDynamic(model);
 * await evaluateQuantization(model, q, report, { engine: ortEngine(ort), samples });
 * report.outputSqnrDb; // { output: 31.2, ... }
 * ```
 */
export async function evaluateQuantization<R extends QuantizationReport | Float16Report>(
  float: ModelProto,
  quantized: ModelProto,
  report: R,
  options: EvaluateQuantizationOptions,
): Promise<R> {
  const fn = "evaluateQuantization";
  _checkOptions(fn, options, ["engine", "samples", "onProgress", "signal"]);
  const nodes = "nodes" in report ? report.nodes : [];
  const tensors = new Set<string>();
  for (const n of nodes) if (n.quantized && n.tensor !== undefined) tensors.add(n.tensor);
  const outputs = float.graph!.output.map((o) => o.name);
  const a = _exposeTensors(float, tensors);
  const b = _exposeTensors(quantized, tensors);
  const sf = await options.engine.createSession(writeModel(a.model));
  const sums = new Map<string, _Sums>();
  const add = (name: string, f: EngineTensor | undefined, q: EngineTensor | undefined): void => {
    if (f === undefined || q === undefined || f.type !== "float32" || q.type !== "float32") return;
    const fd = f.data as Float32Array;
    const qd = q.data as Float32Array;
    if (fd.length !== qd.length)
      throw new RangeError(
        `${fn}: tensor ${_show(name)} has ${fd.length} values in the float model, ${qd.length} quantized`,
      );
    let s = 0;
    let e = 0;
    for (let i = 0; i < fd.length; i++) {
      s += fd[i]! * fd[i]!;
      e += (fd[i]! - qd[i]!) ** 2;
    }
    const t = sums.get(name) ?? { signal: 0, noise: 0, values: 0 };
    sums.set(name, { signal: t.signal + s, noise: t.noise + e, values: t.values + fd.length });
  };
  let count = 0;
  try {
    const sq = await options.engine.createSession(writeModel(b.model));
    try {
      for await (const sample of options.samples as AsyncIterable<EngineFeeds>) {
        if (options.signal?.aborted)
          throw new DOMException(`${fn}: stopped after ${count} samples`, "AbortError");
        const rf = await sf.run(sample);
        const rq = await sq.run(sample);
        for (const t of tensors) {
          const fa = a.outputs.get(t);
          const qa = b.outputs.get(t);
          if (fa !== undefined && qa !== undefined) add(t, rf[fa], rq[qa]);
        }
        for (const o of outputs) add(`output:${o}`, rf[o], rq[o]);
        count++;
        options.onProgress?.(count);
      }
    } finally {
      await sq.release?.();
    }
  } finally {
    await sf.release?.();
  }
  // No values (a branch never taken, the placeholder exposed instead): nothing was measured.
  const db = (name: string): number | undefined => {
    const t = sums.get(name);
    if (t === undefined || t.values === 0) return undefined;
    return t.noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(t.signal / t.noise);
  };
  for (const n of nodes) {
    if (n.tensor === undefined) continue;
    const v = db(n.tensor);
    if (v === undefined) delete n.sqnrDb;
    else n.sqnrDb = v;
  }
  report.outputSqnrDb = {};
  for (const o of outputs) {
    const v = db(`output:${o}`);
    if (v !== undefined) report.outputSqnrDb[o] = v;
  }
  report.evaluatedSamples = count;
  return report;
}
