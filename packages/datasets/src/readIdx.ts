import { type GunzipOptions, gunzip, isGzip } from "./gunzip";
import { type IdxArray, parseIdx } from "./parseIdx";

/**
 * Decodes an IDX file, raw or gzip-compressed (detected by the magic 1f 8b and inflated with
 * node:zlib in Node, `DecompressionStream` elsewhere). Browser-safe. See {@link parseIdx} for the
 * format and the errors.
 *
 * @param bytes the whole file, as read from disk or fetched
 * @param name what to call the file in errors (a path, say)
 * @param options `maxBytes`: the largest inflated size accepted (see {@link gunzip})
 *
 * @example
 * const bytes = new Uint8Array(await (await fetch("train-labels-idx1-ubyte.gz")).arrayBuffer());
 * const labels = await readIdx(bytes, "train-labels-idx1-ubyte.gz");
 * labels.shape // [60000]
 */
export async function readIdx(
  bytes: Uint8Array,
  name = "bytes",
  options: GunzipOptions = {},
): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, name, options) : bytes, name);
}
