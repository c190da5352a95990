import { assertOptions, readRegularFile } from "@quantkit/tensor";
import { _importNode } from "./_importNode";
import { parseSafetensors } from "./parseSafetensors";
import type { SafetensorsFile, SafetensorsInput, SerializeSafetensorsOptions } from "./safetensors";
import { serializeSafetensors } from "./serializeSafetensors";

/** The default largest file `loadSafetensors` reads: 4 GiB. */
const MAX_FILE_BYTES = 2 ** 32;

/**
 * Writes tensors to a safetensors file atomically (Node only): the bytes go to a temporary file in the
 * same directory, are flushed to disk, and the temporary file is renamed over `path`, so a reader
 * never sees a half-written model. On any error the temporary file is removed. Resolves to the number
 * of bytes written.
 *
 * @example
 * await saveSafetensors("mlp.safetensors", stateDict(model), { format: "pt" }); // 360,xxx bytes
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, SafetensorsInput> | ReadonlyMap<string, SafetensorsInput>,
  metadata?: Record<string, string>,
  options: SerializeSafetensorsOptions = {},
): Promise<number> {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  const bytes = serializeSafetensors(tensors, metadata, options);
  const fs = await _importNode<typeof import("node:fs/promises")>("node:fs/promises");
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const tmp = `${dir}.${base}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await fs.open(tmp, "wx");
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw error;
  }
  return bytes.length;
}

/**
 * Reads and validates a safetensors file (Node only); errors name the path. See {@link parseSafetensors}.
 * The file must be a regular file of at most `maxBytes` bytes (default 4 GiB), checked from its metadata
 * before reading: a directory, FIFO or device (/dev/zero) is an error, never a read without end.
 *
 * @example
 * const { tensors, metadata } = await loadSafetensors("mlp.safetensors");
 * loadStateDict(model, tensors);
 */
export async function loadSafetensors(
  path: string,
  options: { maxBytes?: number; requireChecksum?: boolean } = {},
): Promise<SafetensorsFile> {
  assertOptions(options, ["maxBytes", "requireChecksum"], "loadSafetensors options");
  if (typeof path !== "string" || path === "")
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError(`loadSafetensors: maxBytes must be a positive integer, got ${maxBytes}`);
  const bytes = await readRegularFile(path, maxBytes);
  if (bytes === null) throw new RangeError(`${path}: no such file (ENOENT)`);
  return parseSafetensors(bytes, path, { requireChecksum: options.requireChecksum === true });
}
