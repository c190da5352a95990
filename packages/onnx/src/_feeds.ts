// Checks calibration samples against the graph's inputs before anything runs.
import { _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import type { EngineFeeds } from "./InferenceEngine";

/** ONNX Runtime's tensor type names by ONNX data type. */
const _ORT_TYPE: Readonly<Record<number, string>> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
};

/** The model's real inputs: graph inputs that are not initializers. */
export function _graphInputs(model: ModelProto) {
  const g = model.graph!;
  const inits = new Set(g.initializer.map((t) => t.name));
  return g.input.filter((i) => !inits.has(i.name));
}

/** Throws, naming the sample, the input and the value, when `sample` does not fit the model's inputs. */
export function _checkSample(model: ModelProto, sample: EngineFeeds, index: number, fn: string): void {
  const where = `${fn}: calibration sample ${index}`;
  if (sample === null || typeof sample !== "object")
    throw new TypeError(`${where} must be an object of named tensors, got ${_show(sample)}`);
  const inputs = _graphInputs(model);
  const names = new Set(inputs.map((i) => i.name));
  for (const key of Object.keys(sample)) {
    if (!names.has(key)) {
      throw new RangeError(
        `${where} has input ${_show(key)}, which the graph does not have (its inputs: ${[...names].join(", ")})`,
      );
    }
  }
  for (const input of inputs) {
    const t = sample[input.name];
    if (t === undefined) throw new RangeError(`${where} lacks input ${_show(input.name)}`);
    if (
      t === null ||
      typeof t !== "object" ||
      !Array.isArray(t.dims) ||
      typeof t.type !== "string" ||
      t.data === undefined
    ) {
      throw new TypeError(
        `${where}: input ${_show(input.name)} must be a tensor { type, data, dims }, got ${_show(t)}`,
      );
    }
    const type = input.type?.value.case === "tensorType" ? input.type.value.value : undefined;
    if (type === undefined) continue;
    const want = _ORT_TYPE[type.elemType];
    if (want !== undefined && t.type !== want) {
      throw new TypeError(
        `${where}: input ${_show(input.name)} has type ${_show(t.type)}, the graph expects ${want}`,
      );
    }
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) {
      throw new RangeError(
        `${where}: input ${_show(input.name)} has ${t.data.length} values for dims [${t.dims.join(", ")}] (${count})`,
      );
    }
    const dims = type.shape?.dim;
    if (dims === undefined) continue;
    if (dims.length !== t.dims.length) {
      throw new RangeError(
        `${where}: input ${_show(input.name)} has dims [${t.dims.join(", ")}] (rank ${t.dims.length}), the graph expects rank ${dims.length}`,
      );
    }
    dims.forEach((d, k) => {
      if (d.value.case === "dimValue" && d.value.value > 0n && Number(d.value.value) !== t.dims[k]) {
        throw new RangeError(
          `${where}: input ${_show(input.name)} has dims [${t.dims.join(", ")}], the graph fixes dimension ${k} to ${d.value.value}`,
        );
      }
    });
  }
}
