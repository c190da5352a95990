import { _importNode } from "./_importNode";
import {
  parseSafetensors,
  type SafetensorsFile,
  type SafetensorsInput,
  serializeSafetensors,
} from "./safetensors";

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
): Promise<number> {
  if (typeof path !== "string" || path === "")
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  const bytes = serializeSafetensors(tensors, metadata);
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
 *
 * @example
 * const { tensors, metadata } = await loadSafetensors("mlp.safetensors");
 * loadStateDict(model, tensors);
 */
export async function loadSafetensors(path: string): Promise<SafetensorsFile> {
  const { readFile } = await _importNode<typeof import("node:fs/promises")>("node:fs/promises");
  const buf = await readFile(path);
  return parseSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}
