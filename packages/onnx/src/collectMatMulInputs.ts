import { _checkOptions, _show } from "./_errors";
import { _exposeTensors } from "./_expose";
import { _checkSample } from "./_feeds";
import { _foldWeight } from "./_foldWeight";
import type { ModelProto, NodeProto } from "./_gen/onnx_pb";
import { _findConstant, _scopes } from "./_quantGraph";
import type { EngineFeeds, InferenceEngine } from "./InferenceEngine";
import { producers } from "./producers";
import { writeModel } from "./writeModel";

/** Options of {@link collectMatMulInputs}. */
export interface CollectMatMulInputsOptions {
  /** Runs the model: `ortEngine(ort)` or any {@link InferenceEngine}. */
  engine: InferenceEngine;
  /** The calibration inputs, one object of named tensors per run (checked against the graph's inputs). */
  samples: Iterable<EngineFeeds>;
  /**
   * At most this many rows per input (default 4096): when the samples give more, evenly strided rows
   * over all of them are kept, so every sample is represented.
   */
  maxRows?: number;
  /** Called after each sample with the number done. */
  onProgress?: (samplesDone: number) => void;
  /** Stops between samples with an AbortError. */
  signal?: AbortSignal;
}

/**
 * The layer inputs GPTQ and AWQ need: for every MatMul with a constant 2-D weight B [K, N], in any graph,
 * the rows of its first input A as it arrives on the calibration samples, flattened to [rows, K] (every
 * leading dimension of A is a row: batch, sequence position...). A copy of the model exposes each A as a
 * graph output (from inside If branches too) and the engine runs it once per sample. Returns a map from
 * the input's value name to Float32Array [rows, K], ready for `quantizeMatMulNBits`'s `activations`.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * import { collectMatMulInputs, ortEngine, quantizeMatMulNBits, readModel } from "@quantkit/onnx";
 * const model = readModel(bytes);
 * const ids = { type: "int64", data: BigInt64Array.from([5n, 7n, 9n]), dims: [1, 3] };
 * const activations = await collectMatMulInputs(model, { engine: ortEngine(ort), samples: [{ input_ids: ids }] });
 * const { model: q4 } = quantizeMatMulNBits(model, { method: "gptq", activations });
 * ```
 */
export async function collectMatMulInputs(
  model: ModelProto,
  options: CollectMatMulInputsOptions,
): Promise<Map<string, Float32Array>> {
  const fn = "collectMatMulInputs";
  _checkOptions(fn, options, ["engine", "samples", "maxRows", "onProgress", "signal"]);
  const { engine } = options ?? {};
  if (engine === null || typeof engine !== "object" || typeof engine.createSession !== "function") {
    throw new TypeError(
      `${fn}: options.engine must be an InferenceEngine (createSession), got ${_show(engine)}`,
    );
  }
  const maxRows = options.maxRows ?? 4096;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`${fn}: maxRows must be a positive integer, got ${_show(maxRows)}`);
  }
  const samples = [...(options.samples ?? [])];
  if (samples.length === 0)
    throw new RangeError(`${fn}: options.samples is empty: calibration needs at least one`);
  for (let i = 0; i < samples.length; i++) _checkSample(model, samples[i]!, i, fn);

  const widths = _matmulInputs(model);
  const inputs = new Set(Object.keys(samples[0]!));
  const { model: augmented, outputs } = _exposeTensors(
    model,
    [...widths.keys()].filter((n) => !inputs.has(n)),
  );
  const chunks = new Map<string, Float32Array[]>();
  const session = await engine.createSession(writeModel(augmented));
  const fetch = [...new Set(outputs.values())];
  try {
    for (let i = 0; i < samples.length; i++) {
      if (options.signal?.aborted) throw new DOMException(`${fn}: stopped after ${i} samples`, "AbortError");
      const sample = samples[i]!;
      const result = fetch.length === 0 ? {} : await session.run(sample, fetch);
      for (const [name, K] of widths) {
        const t = inputs.has(name) ? sample[name] : result[outputs.get(name) ?? ""];
        if (t === undefined || t.type !== "float32" || t.data.length === 0) continue;
        if (t.data.length % K !== 0) {
          throw new RangeError(
            `${fn}: MatMul input ${_show(name)} has ${t.data.length} values on sample ${i}, not rows x K = ${K}`,
          );
        }
        const list = chunks.get(name) ?? [];
        list.push(Float32Array.from(t.data as Float32Array));
        chunks.set(name, list);
      }
      options.onProgress?.(i + 1);
    }
  } finally {
    await session.release?.();
  }
  const out = new Map<string, Float32Array>();
  for (const [name, list] of chunks) out.set(name, _strided(list, widths.get(name)!, maxRows));
  return out;
}

/**
 * First input of each MatMul whose B is a constant 2-D float32 tensor, or one the graph computes from
 * constants (a tied head's Transpose, which quantizeMatMulNBits folds) -> K.
 */
function _matmulInputs(model: ModelProto): Map<string, number> {
  const widths = new Map<string, number>();
  for (const scope of _scopes(model)) {
    let made: Map<string, NodeProto> | undefined;
    for (const node of scope.graph.node) {
      if (node.opType !== "MatMul" || node.domain !== "") continue;
      const name = node.input[1] ?? "";
      const b = _findConstant(scope, name);
      let dims: number[] | null = null;
      if (b !== null) dims = b.tensor.dataType === 1 ? b.tensor.dims.map(Number) : null;
      else {
        made ??= producers(scope.graph);
        const f = _foldWeight(scope, name, made);
        dims = typeof f === "string" ? null : f.dims;
      }
      if (dims === null || dims.length !== 2) continue;
      widths.set(node.input[0]!, dims[0]!);
    }
  }
  return widths;
}

/** The rows of `chunks` ([rows_i, K] each) concatenated, or `maxRows` of them evenly strided. */
function _strided(chunks: readonly Float32Array[], K: number, maxRows: number): Float32Array {
  const total = chunks.reduce((s, c) => s + c.length / K, 0);
  const keep = Math.min(total, maxRows);
  const out = new Float32Array(keep * K);
  let chunk = 0;
  let start = 0; // first row of chunks[chunk] in the concatenation
  for (let r = 0; r < keep; r++) {
    const row = Math.floor((r * total) / keep);
    while (row >= start + chunks[chunk]!.length / K) start += chunks[chunk++]!.length / K;
    out.set(chunks[chunk]!.subarray((row - start) * K, (row - start + 1) * K), r * K);
  }
  return out;
}
