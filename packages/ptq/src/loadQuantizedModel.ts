import { loadSafetensors } from "@quantkit/nn";
import { _quantizedModelFromFile } from "./parseQuantizedModel";
import type { QuantizedModel } from "./QuantizedModel";

/**
 * Reads and validates an integer model file written by `saveQuantizedModel` (Node only, through
 * @quantkit/nn's `loadSafetensors`, which keeps Node's file system out of browser bundles); errors
 * name the path. See `parseQuantizedModel` for what is checked.
 *
 * @example
 * const model = await loadQuantizedModel("mlp-int8.safetensors");
 * model.predict(x, batch); // the predictions of the model that was saved
 */
export async function loadQuantizedModel(path: string): Promise<QuantizedModel> {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  return _quantizedModelFromFile(await loadSafetensors(path), path);
}
