import { loadSafetensors } from "@quantkit/nn";
import { assertOptions } from "@quantkit/tensor";
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
export async function loadQuantizedModel(
  path: string,
  options: { maxBytes?: number } = {},
): Promise<QuantizedModel> {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  assertOptions(options, ["maxBytes"], "loadQuantizedModel options");
  // A regular file of at most maxBytes (default 1 GiB; the seed's MLP is 93 KB), checked before reading.
  return _quantizedModelFromFile(
    await loadSafetensors(path, { maxBytes: options.maxBytes ?? 2 ** 30 }),
    path,
  );
}
