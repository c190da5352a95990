import { assertOptions } from "@quantkit/tensor";
import { _importNode } from "./_importNode";

/**
 * True when `bytes` start with the gzip magic number 1f 8b.
 *
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8, 0])) // true
 * isGzip(new Uint8Array([0, 0, 8, 3]))       // false
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True in Node (and Node-compatible runtimes), where node:zlib is there to import. */
export function _isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/**
 * Inflates gzip data. In Node it uses node:zlib (imported on first use, so a browser bundle never
 * loads it); elsewhere the standard `DecompressionStream("gzip")`. A truncated or corrupt stream
 * throws a RangeError naming `name`. Inflation is bounded: the size the stream declares (its ISIZE
 * trailer) must be at most `maxBytes`, and inflating stops with an error as soon as the output passes
 * the declared size (a gzip bomb declaring 10 bytes is rejected after 10, not after 300 MB); the
 * output must then be exactly the declared size.
 *
 * @param bytes a gzip stream (magic 1f 8b)
 * @param name what to call the data in errors
 * @param options `maxBytes`: the largest inflated size accepted, default 2^30 (1 GiB)
 *
 * @example
 * const raw = await gunzip(gzippedBytes); // Uint8Array of the inflated data
 */
export async function gunzip(
  bytes: Uint8Array,
  name = "bytes",
  options: GunzipOptions = {},
): Promise<Uint8Array> {
  assertOptions(options, ["maxBytes"], "gunzip options");
  if (!isGzip(bytes)) {
    throw new RangeError(`${name} is not gzip data: it starts with ${hex2(bytes)}, gzip starts with 1f 8b`);
  }
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (!Number.isInteger(maxBytes) || maxBytes < 0)
    throw new RangeError(`gunzip: maxBytes must be a non-negative integer, got ${maxBytes}`);
  if (bytes.length < 18) throw new RangeError(`${name}: the gzip data is truncated (${bytes.length} bytes)`);
  const n = bytes.length;
  // ISIZE: the inflated size mod 2^32, little-endian, in the last four bytes.
  const declared =
    (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  // Inflate at most min(declared, maxBytes) bytes (plus one, to see "more"). A truncated stream's last
  // bytes are not its trailer, so a declared size above maxBytes is reported only after inflating.
  const bound = Math.min(declared, maxBytes);
  const out = _isNode() ? await _gunzipNode(bytes, name, bound) : await _gunzipWeb(bytes, name, bound);
  if (declared > maxBytes) {
    throw new RangeError(
      `${name}: the gzip data declares ${declared} inflated bytes, more than maxBytes = ${maxBytes}`,
    );
  }
  if (out.length !== declared) {
    throw new RangeError(
      `${name}: the gzip data inflates to ${out.length} bytes but declares ${declared}: truncated or corrupt`,
    );
  }
  return out;
}

/** Options of {@link gunzip}. */
export interface GunzipOptions {
  /** The largest inflated size accepted. Default 2^30 (1 GiB). */
  maxBytes?: number;
}

function _tooLarge(name: string, bound: number): RangeError {
  return new RangeError(
    `${name}: the gzip data inflates past ${bound} bytes, the size it declares or maxBytes: rejected there`,
  );
}

function hex2(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ") || "(nothing)";
}

/** node:zlib's one-shot inflate (native, and it reports truncation precisely). */
export async function _gunzipNode(bytes: Uint8Array, name: string, declared: number): Promise<Uint8Array> {
  const zlib = await _importNode<typeof import("node:zlib")>("node:zlib");
  try {
    // One byte more than declared, so that "more than declared" is seen (and stops inflating there).
    const out = zlib.gunzipSync(bytes, { maxOutputLength: Math.max(1, declared + 1) });
    if (out.byteLength > declared) throw _tooLarge(name, declared);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw _tooLarge(name, declared);
    if (error instanceof RangeError && error.message.startsWith(name)) throw error;
    throw new RangeError(`${name}: the gzip data is truncated or corrupt (${(error as Error).message})`);
  }
}

/** The web platform's `DecompressionStream` (browsers, workers, and Node >= 18 too). */
export async function _gunzipWeb(bytes: Uint8Array, name: string, declared: number): Promise<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new TypeError(
      `${name} is gzip-compressed and this runtime has neither node:zlib nor DecompressionStream`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total > declared) {
        await reader.cancel();
        throw _tooLarge(name, declared);
      }
    }
  } catch (error) {
    if (error instanceof RangeError && error.message.startsWith(name)) throw error;
    throw new RangeError(`${name}: the gzip data is truncated or corrupt (${(error as Error).message})`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
