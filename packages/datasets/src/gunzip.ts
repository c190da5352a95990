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
 * throws a RangeError naming `name`.
 *
 * @param bytes a gzip stream (magic 1f 8b)
 * @param name what to call the data in errors
 *
 * @example
 * const raw = await gunzip(gzippedBytes); // Uint8Array of the inflated data
 */
export async function gunzip(bytes: Uint8Array, name = "bytes"): Promise<Uint8Array> {
  if (!isGzip(bytes)) {
    throw new RangeError(`${name} is not gzip data: it starts with ${hex2(bytes)}, gzip starts with 1f 8b`);
  }
  return _isNode() ? _gunzipNode(bytes, name) : _gunzipWeb(bytes, name);
}

function hex2(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ") || "(nothing)";
}

/** node:zlib's one-shot inflate (native, and it reports truncation precisely). */
export async function _gunzipNode(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const zlib = await _importNode<typeof import("node:zlib")>("node:zlib");
  try {
    const out = zlib.gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new RangeError(`${name}: the gzip data is truncated or corrupt (${(error as Error).message})`);
  }
}

/** The web platform's `DecompressionStream` (browsers, workers, and Node >= 18 too). */
export async function _gunzipWeb(bytes: Uint8Array, name: string): Promise<Uint8Array> {
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
    }
  } catch (error) {
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
