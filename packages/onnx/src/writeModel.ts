import { toBinary } from "@bufbuild/protobuf";
import { type ModelProto, ModelProtoSchema } from "./_gen/onnx_pb";

/**
 * Serializes a model to ONNX bytes: fields in field-number order as ONNX's C++ writer emits them,
 * unknown fields kept, so an unchanged model read by {@link readModel} comes back byte for byte.
 *
 * @example
 * ```ts
 * import { makeGraph, makeModel, writeModel } from "@quantkit/onnx";
 * writeModel(makeModel(makeGraph({ name: "g" }))).length > 0; // true
 * ```
 */
export function writeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}
