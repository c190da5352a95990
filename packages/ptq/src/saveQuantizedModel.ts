import { saveSafetensors } from "@quantkit/nn";
import type { QuantizedModel } from "./QuantizedModel";
import { _quantizedModelTensors, type QuantizedModelFileOptions } from "./serializeQuantizedModel";

/**
 * Writes the integer model to a safetensors file (Node only) through @quantkit/nn's
 * `saveSafetensors`: atomically (a temporary file in the same directory, flushed, then renamed over
 * `path`), so a reader never sees half a model. The layout is `serializeQuantizedModel`'s. Resolves
 * to the file's size in bytes.
 *
 * @example
 * const sizeBytes = await saveQuantizedModel("mlp-int8.safetensors", quantized); // about 92,000
 */
export async function saveQuantizedModel(
  path: string,
  model: QuantizedModel,
  options: QuantizedModelFileOptions = {},
): Promise<number> {
  const { tensors, metadata } = _quantizedModelTensors(model, options, "saveQuantizedModel");
  return saveSafetensors(path, tensors, metadata, { checksum: true });
}
