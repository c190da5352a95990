import { _checkOptions, _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import { allNodes } from "./allNodes";
import { type CalibrationMethod, calibrate } from "./calibrate";
import type { EngineFeeds, EngineTensor, InferenceEngine, InferenceSession } from "./InferenceEngine";
import { type QuantizeDynamicOptions, type QuantizeResult, quantizeDynamic } from "./quantizeDynamic";
import { quantizeStatic } from "./quantizeStatic";
import type { QuantizeStaticOptions } from "./quantizeStaticOptions";
import { writeModel } from "./writeModel";

/** Options of {@link sensitivity}. */
export interface SensitivityOptions {
  /** Runs the float and the quantized models, e.g. `ortEngine(ort)`. */
  engine: InferenceEngine;
  /** "int8" ({@link quantizeStatic}) or "q8" ({@link quantizeDynamic}). */
  mode: "int8" | "q8";
  /** Inputs on which the models' outputs are compared (and, for int8, calibrated). */
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /** int8 only: calibration inputs, when they differ from `samples`. */
  calibrationSamples?: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /**
   * The quantization being analysed: options of quantizeStatic (int8; without engine and samples) or of
   * quantizeDynamic (q8). Its `exclude` list stays excluded in every variant.
   */
  quantizeOptions?:
    | Omit<QuantizeStaticOptions, "engine" | "samples" | "evaluate" | "calibration" | "onProgress" | "signal">
    | QuantizeDynamicOptions;
  /** The graph outputs compared; default every float32 output. */
  outputs?: readonly string[];
  /** Called after each node with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** How much one node's quantization costs. */
export interface NodeSensitivity {
  /** The node's name, as `exclude` takes it. */
  node: string;
  opType: string;
  /** SQNR (dB) of the model outputs with every node quantized except this one. */
  outputSqnrDb: number;
  /** outputSqnrDb minus the fully quantized model's: what keeping this node float wins back. */
  gainDb: number;
}

/** What {@link sensitivity} measured. */
export interface SensitivityResult {
  /** SQNR (dB) of the outputs of the model with every quantizable node quantized. */
  baselineSqnrDb: number;
  /** One entry per quantized node, the most sensitive (largest gain) first. */
  nodes: NodeSensitivity[];
}

/**
 * Layer-wise sensitivity of a quantization, leave one out: the model is quantized with every node, then
 * once per quantized node with that node kept float, and each variant's outputs are compared with the
 * float model's on `samples` (SQNR, 10 log10(sum f^2 / sum (f - q)^2) over every float32 graph output).
 * The nodes whose float copy wins back the most come first: pass the first few to `exclude` to trade a
 * little size and speed for accuracy (what ONNX Runtime's `nodes_to_exclude` needs someone to choose by
 * hand). int8 calibrates once and reuses the ranges for every variant. Cost: one quantization and one
 * run over `samples` per quantized node.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { ortEngine, quantizeStatic, readModel, sensitivity } from "@quantkit/onnx";
 * const model = readModel(bytes);
 * const s = await sensitivity(model, { engine: ortEngine(ort), mode: "int8", samples });
 * const exclude = s.nodes.slice(0, 3).map((n) => n.node); // the three most sensitive stay float
 * const { model: int8 } = await quantizeStatic(model, { engine: ortEngine(ort), samples, exclude });
 * ```
 */
export async function sensitivity(
  model: ModelProto,
  options: SensitivityOptions,
): Promise<SensitivityResult> {
  const fn = "sensitivity";
  _checkOptions(fn, options, [
    "engine",
    "mode",
    "samples",
    "calibrationSamples",
    "quantizeOptions",
    "outputs",
    "onProgress",
    "signal",
  ]);
  if (options === undefined) throw new TypeError(`${fn}: options with engine, mode and samples are required`);
  const { engine, mode } = options;
  if (mode !== "int8" && mode !== "q8")
    throw new TypeError(`${fn}: mode must be "int8" or "q8", got ${_show(mode)}`);
  const samples: EngineFeeds[] = [];
  for await (const s of options.samples as AsyncIterable<EngineFeeds>) samples.push(s);
  if (samples.length === 0) throw new RangeError(`${fn}: samples is empty`);
  const qo = (options.quantizeOptions ?? {}) as Record<string, unknown>;
  const baseExclude = (qo.exclude as readonly string[] | undefined) ?? [];

  let quantize: (exclude: readonly string[]) => Promise<QuantizeResult>;
  if (mode === "q8") {
    quantize = async (exclude) =>
      quantizeDynamic(model, { ...(qo as QuantizeDynamicOptions), exclude: [...baseExclude, ...exclude] });
  } else {
    const calibrationSamples: EngineFeeds[] = [];
    for await (const s of (options.calibrationSamples ?? samples) as AsyncIterable<EngineFeeds>)
      calibrationSamples.push(s);
    const so = qo as Omit<QuantizeStaticOptions, "engine" | "samples">;
    const dtype = (so.activationType ?? "uint8") === "uint8" ? "quint8" : "qint8";
    // Every tensor a variant may need: the graph inputs and every node output (non-float ones are skipped).
    const tensors = [
      ...model.graph!.input.map((v) => v.name),
      ...allNodes(model).flatMap((e) => e.node.output.filter((o) => o !== "")),
    ];
    const calibration = await calibrate(model, {
      engine,
      samples: calibrationSamples,
      tensors,
      method: (so.method ?? "minmax") as CalibrationMethod,
      observerOptions: { ...so.observerOptions, dtype, qscheme: "per_tensor_affine" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    quantize = (exclude) =>
      quantizeStatic(model, {
        ...so,
        engine,
        samples: [],
        evaluate: false,
        calibration,
        exclude: [...baseExclude, ...exclude],
      });
  }

  const floatSession = await engine.createSession(writeModel(model));
  const wanted = options.outputs === undefined ? undefined : new Set(options.outputs);
  for (const o of wanted ?? [])
    if (!floatSession.outputNames.includes(o))
      throw new RangeError(
        `${fn}: outputs: the model has no output ${_show(o)} (it has ${floatSession.outputNames.join(", ")})`,
      );
  const reference: Record<string, EngineTensor>[] = [];
  for (const s of samples) reference.push(await floatSession.run(s));
  await floatSession.release?.();
  const sqnr = async (q: ModelProto): Promise<number> => {
    const session: InferenceSession = await engine.createSession(writeModel(q));
    let signal = 0;
    let noise = 0;
    for (let k = 0; k < samples.length; k++) {
      const out = await session.run(samples[k]!);
      for (const [name, f] of Object.entries(reference[k]!)) {
        if (wanted !== undefined && !wanted.has(name)) continue;
        const g = out[name];
        if (f.type !== "float32" || g === undefined || g.type !== "float32") continue;
        const fd = f.data as Float32Array;
        const gd = g.data as Float32Array;
        for (let i = 0; i < fd.length; i++) {
          signal += fd[i]! * fd[i]!;
          noise += (fd[i]! - gd[i]!) ** 2;
        }
      }
    }
    await session.release?.();
    return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
  };

  const full = await quantize([]);
  const baselineSqnrDb = await sqnr(full.model);
  // Nodes `exclude` can name (unnamed nodes are reported as "<opType> #<index>"); fused Relus go with their producer.
  const named = new Set(
    allNodes(model)
      .map((e) => e.node.name)
      .filter((n) => n !== ""),
  );
  const candidates = full.report.nodes.filter(
    (n) => n.quantized && named.has(n.name) && !n.detail.startsWith("fused into"),
  );
  const nodes: NodeSensitivity[] = [];
  for (const [k, n] of candidates.entries()) {
    if (options.signal?.aborted) throw options.signal.reason ?? new DOMException("aborted", "AbortError");
    const outputSqnrDb = await sqnr((await quantize([n.name])).model);
    nodes.push({ node: n.name, opType: n.opType, outputSqnrDb, gainDb: outputSqnrDb - baselineSqnrDb });
    options.onProgress?.(k + 1, candidates.length);
  }
  nodes.sort((a, b) => b.gainDb - a.gainDb);
  return { baselineSqnrDb, nodes };
}
