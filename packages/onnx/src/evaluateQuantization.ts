import { _checkOptions, _show } from "./_errors";
import { _exposeTensors } from "./_expose";
import type { ModelProto } from "./_gen/onnx_pb";
import type { EngineFeeds, EngineTensor, InferenceEngine } from "./InferenceEngine";
import type { QuantizationReport } from "./quantizationReport";
import { writeModel } from "./writeModel";

/** Options of {@link evaluateQuantization}. */
export interface EvaluateQuantizationOptions {
  engine: InferenceEngine;
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
}

/**
 * Fills `report` with SQNR figures: for each quantized node, 10 log10(sum f^2 / sum (f - q)^2) of its
 * output in `quantized` (q) against the same tensor in `float` (f), summed over all samples; the same for
 * every graph output. Both models run through `options.engine` with the tensors exposed as outputs.
 * Returns the report.
 *
 * @example
 * ```ts
 * const { model: q, report } = quantizeDynamic(model);
 * await evaluateQuantization(model, q, report, { engine: ortEngine(ort), samples });
 * report.outputSqnrDb; // { output: 31.2, ... }
 * ```
 */
export async function evaluateQuantization(
  float: ModelProto,
  quantized: ModelProto,
  report: QuantizationReport,
  options: EvaluateQuantizationOptions,
): Promise<QuantizationReport> {
  const fn = "evaluateQuantization";
  _checkOptions(fn, options, ["engine", "samples"]);
  const tensors = new Set<string>();
  for (const n of report.nodes) if (n.quantized && n.tensor !== undefined) tensors.add(n.tensor);
  const outputs = float.graph!.output.map((o) => o.name);
  const a = _exposeTensors(float, tensors);
  const b = _exposeTensors(quantized, tensors);
  const sf = await options.engine.createSession(writeModel(a.model));
  const sq = await options.engine.createSession(writeModel(b.model));
  const signal = new Map<string, number>();
  const noise = new Map<string, number>();
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
    signal.set(name, (signal.get(name) ?? 0) + s);
    noise.set(name, (noise.get(name) ?? 0) + e);
  };
  let count = 0;
  try {
    for await (const sample of options.samples as AsyncIterable<EngineFeeds>) {
      const rf = await sf.run(sample);
      const rq = await sq.run(sample);
      for (const t of tensors) {
        const fa = a.outputs.get(t);
        const qa = b.outputs.get(t);
        if (fa !== undefined && qa !== undefined) add(t, rf[fa], rq[qa]);
      }
      for (const o of outputs) add(`output:${o}`, rf[o], rq[o]);
      count++;
    }
  } finally {
    await sf.release?.();
    await sq.release?.();
  }
  const db = (name: string): number | undefined => {
    const s = signal.get(name);
    const e = noise.get(name);
    if (s === undefined || e === undefined) return undefined;
    return e === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(s / e);
  };
  for (const n of report.nodes) {
    if (n.tensor === undefined) continue;
    const v = db(n.tensor);
    if (v !== undefined) n.sqnrDb = v;
  }
  report.outputSqnrDb = {};
  for (const o of outputs) {
    const v = db(`output:${o}`);
    if (v !== undefined) report.outputSqnrDb[o] = v;
  }
  report.evaluatedSamples = count;
  return report;
}
