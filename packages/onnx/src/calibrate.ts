import {
  type AnyObserverOptions,
  createObserver,
  type Observer,
  type ObserverName,
} from "@quantkit/calibrators";
import type { QParams } from "@quantkit/quantizers";
import { _checkOptions, _show } from "./_errors";
import { _exposeTensors } from "./_expose";
import { _exposeMinMax } from "./_exposeMinMax";
import { _checkSample } from "./_feeds";
import type { ModelProto } from "./_gen/onnx_pb";
import { _scopes } from "./_quantGraph";
import type { EngineFeeds, InferenceEngine } from "./InferenceEngine";
import { writeModel } from "./writeModel";

/** The observers an activation range can come from (per-tensor ones). */
export const CALIBRATION_METHODS = [
  "minmax",
  "moving_average_minmax",
  "histogram",
  "percentile",
  "mse",
  "entropy",
] as const;
/** One of {@link CALIBRATION_METHODS}. */
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** Runs the model: `ortEngine(ort)` or any {@link InferenceEngine}. */
  engine: InferenceEngine;
  /** The calibration inputs, one object of named tensors per run (checked against the graph's inputs). */
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>;
  /** Tensors to range; default every tensor a node produces, in every graph (non-float ones are left out). */
  tensors?: readonly string[];
  /** The observer of @quantkit/calibrators each tensor streams into; default "minmax" (ONNX Runtime's default). */
  method?: CalibrationMethod;
  /** Options of that observer; default `{ dtype: "quint8", qscheme: "per_tensor_affine" }` (ONNX Runtime's activations). */
  observerOptions?: AnyObserverOptions;
  /** Called after each sample with the number done. */
  onProgress?: (samplesDone: number) => void;
  /** Stops between samples with an AbortError. */
  signal?: AbortSignal;
}

/** The calibrated range of one tensor. */
export interface TensorRange {
  name: string;
  minVal: number;
  maxVal: number;
  /** Scale and zero point from the observer (its dtype, qscheme and range rules). */
  qparams: QParams;
  /** How many non-empty batches the observer saw. */
  batches: number;
}

/** What {@link calibrate} found. */
export interface CalibrationResult {
  ranges: Map<string, TensorRange>;
  /** Tensors with no range, and why (not float32, never computed, inside a Loop body...). */
  skipped: Map<string, string>;
  samples: number;
}

/**
 * Activation ranges, as ONNX Runtime's calibrate.py finds them: a copy of the model gets every tensor to
 * range as a graph output (from inside If branches too), the engine runs it on each sample, and each
 * tensor streams into its own observer from @quantkit/calibrators. Samples are checked against the graph
 * inputs first (names, dtypes, fixed dimensions); nothing runs if one does not fit.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { calibrate, ortEngine, readModel } from "@quantkit/onnx";
 * const model = readModel(bytes);
 * const x = { type: "float32", data: new Float32Array(3 * 48 * 320), dims: [1, 3, 48, 320] };
 * const { ranges } = await calibrate(model, { engine: ortEngine(ort), samples: [{ x }], method: "percentile" });
 * ranges.get("conv2d_1.tmp_0")?.qparams.scale; // Float32Array [...]
 * ```
 */
export async function calibrate(model: ModelProto, options: CalibrateOptions): Promise<CalibrationResult> {
  const fn = "calibrate";
  _checkOptions(fn, options, [
    "engine",
    "samples",
    "tensors",
    "method",
    "observerOptions",
    "onProgress",
    "signal",
  ]);
  if (options === undefined) throw new TypeError(`${fn}: options with engine and samples are required`);
  const { engine, samples } = options;
  if (engine === null || typeof engine !== "object" || typeof engine.createSession !== "function") {
    throw new TypeError(
      `${fn}: options.engine must be an InferenceEngine (createSession), got ${_show(engine)}`,
    );
  }
  const method = options.method ?? "minmax";
  if (!CALIBRATION_METHODS.includes(method)) {
    throw new TypeError(
      `${fn}: options.method must be one of ${CALIBRATION_METHODS.join(", ")}; got ${_show(method)}`,
    );
  }
  const observerOptions: AnyObserverOptions = {
    dtype: "quint8",
    qscheme: "per_tensor_affine",
    ...options.observerOptions,
  };
  // Fail early on bad observer options, naming them, rather than at the first tensor.
  createObserver(method as ObserverName, observerOptions);

  const list = await _collect(samples, fn);
  for (let i = 0; i < list.length; i++) _checkSample(model, list[i]!, i, fn);

  const wanted = options.tensors ?? _producedTensors(model);
  const inputs = new Set(Object.keys(list[0] ?? {}));
  const inner = wanted.filter((n) => !inputs.has(n));
  // Min-max observers need each tensor's min and max only: the model computes them (_exposeMinMax).
  const onlyMinMax = method === "minmax" || method === "moving_average_minmax";
  let exposed: { model: ModelProto } | undefined = onlyMinMax
    ? _exposeMinMax(model, inner)
    : { ..._exposeTensors(model, inner), minMax: new Map<string, [string, string]>() };
  const { outputs, skipped, minMax } = exposed as ReturnType<typeof _exposeMinMax>;
  const observers = new Map<string, Observer>();
  // Neither the augmented model nor its bytes are kept while the engine runs: the engine holds its own
  // copy, and ours would add the model's size to the peak memory of calibration.
  const created = engine.createSession(writeModel(exposed.model), { calibration: true });
  exposed = undefined;
  const session = await created;
  const fetch = [...new Set([...outputs.values(), ...[...minMax.values()].flat()])];
  try {
    for (let i = 0; i < list.length; i++) {
      if (options.signal?.aborted) throw new DOMException(`${fn}: stopped after ${i} samples`, "AbortError");
      const sample = list[i]!;
      const result = fetch.length === 0 ? {} : await session.run(sample, fetch);
      const observe = (name: string, t: EngineFeeds[string] | undefined): void => {
        if (t === undefined) return;
        if (t.type !== "float32") {
          skipped.set(name, `${t.type}, not float32`);
          return;
        }
        const data = t.data as Float32Array;
        if (data.length === 0) return;
        let obs = observers.get(name);
        if (obs === undefined) {
          obs = createObserver(method as ObserverName, observerOptions);
          observers.set(name, obs);
        }
        try {
          obs.observe(data);
        } catch (cause) {
          throw new RangeError(
            `${fn}: tensor ${_show(name)} on calibration sample ${i}: ${(cause as Error).message}`,
            { cause },
          );
        }
      };
      for (const name of wanted) {
        if (inputs.has(name)) observe(name, sample[name]);
        else if (minMax.has(name)) {
          const [lo, hi] = minMax.get(name)!.map((o) => result[o]);
          // the untaken If branch returns empty placeholders; an empty tensor reduces to +inf / -inf
          if (lo === undefined || hi === undefined || lo.data.length === 0 || hi.data.length === 0) continue;
          if (lo.type !== "float32" || hi.type !== "float32") continue;
          const pair = Float32Array.of(Number(lo.data[0]), Number(hi.data[0]));
          if (!(pair[0]! > pair[1]!)) observe(name, { type: "float32", data: pair, dims: [2] }); // NaN goes on
        } else {
          const out = outputs.get(name);
          if (out !== undefined) observe(name, result[out]);
        }
      }
      options.onProgress?.(i + 1);
    }
  } finally {
    await session.release?.();
  }
  const ranges = new Map<string, TensorRange>();
  for (const [name, obs] of observers) {
    if (skipped.get(name)?.includes("not float32")) skipped.delete(name);
    const r = obs.range();
    ranges.set(name, {
      name,
      minVal: r.minVal[0]!,
      maxVal: r.maxVal[0]!,
      qparams: obs.calculateQParams(),
      batches: obs.batches,
    });
  }
  for (const name of wanted)
    if (!ranges.has(name) && !skipped.has(name))
      skipped.set(name, "never computed on the calibration samples");
  return { ranges, skipped, samples: list.length };
}

/** Every tensor a node produces, in every graph. */
function _producedTensors(model: ModelProto): string[] {
  const out: string[] = [];
  for (const s of _scopes(model))
    for (const n of s.graph.node) for (const o of n.output) if (o !== "") out.push(o);
  return out;
}

async function _collect(
  samples: Iterable<EngineFeeds> | AsyncIterable<EngineFeeds>,
  fn: string,
): Promise<EngineFeeds[]> {
  if (
    samples === null ||
    typeof samples !== "object" ||
    !(Symbol.iterator in samples || Symbol.asyncIterator in samples)
  ) {
    throw new TypeError(`${fn}: options.samples must be an iterable of named tensors, got ${_show(samples)}`);
  }
  const list: EngineFeeds[] = [];
  for await (const s of samples as AsyncIterable<EngineFeeds>) list.push(s);
  if (list.length === 0)
    throw new RangeError(`${fn}: options.samples is empty; calibration needs at least one sample`);
  return list;
}
