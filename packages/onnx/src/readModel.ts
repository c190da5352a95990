import { fromBinary } from "@bufbuild/protobuf";
import { _checkOptions, _show } from "./_errors";
import { type ModelProto, ModelProtoSchema } from "./_gen/onnx_pb";

/** Options of {@link readModel}. */
export interface ReadModelOptions {
  /** What to call the input in error messages (a file name); default "model". */
  name?: string;
}

/**
 * Parses ONNX bytes (a serialized `ModelProto`). Large `raw_data` fields are views into `bytes`, not
 * copies: keep `bytes` unchanged while the model is in use. Unknown fields are kept and written back, so
 * {@link writeModel} of an unchanged model gives the same bytes.
 *
 * Throws, naming `options.name`, when the bytes are not protobuf (or truncated), when they parse but are
 * not an ONNX model (no `ir_version`, no graph), or when the model has no graph.
 *
 * @example
 * ```ts
 * import { makeGraph, makeModel, readModel, writeModel } from "@quantkit/onnx";
 * const bytes = writeModel(makeModel(makeGraph({ name: "g" })));
 * readModel(bytes).graph?.name; // "g"
 * ```
 */
export function readModel(bytes: Uint8Array, options?: ReadModelOptions): ModelProto {
  _checkOptions("readModel", options, ["name"]);
  const name = options?.name ?? "model";
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`readModel(${name}): bytes must be a Uint8Array, got ${_show(bytes)}`);
  }
  if (bytes.length === 0) throw new Error(`readModel(${name}): empty input (0 bytes), not an ONNX model`);
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `readModel(${name}): not an ONNX model or truncated protobuf (${bytes.length} bytes, first byte 0x${bytes[0]!.toString(16).padStart(2, "0")}): ${why}`,
      { cause },
    );
  }
  const hasIr = model.irVersion !== 0n;
  if (!hasIr && model.graph === undefined) {
    throw new Error(
      `readModel(${name}): not an ONNX model: ${bytes.length} bytes parse as protobuf but have neither ir_version nor graph`,
    );
  }
  if (model.graph === undefined) {
    throw new Error(`readModel(${name}): the model has no graph (ir_version ${model.irVersion})`);
  }
  return model;
}
