import { _importNode } from "./_importNode";

/**
 * Reads a file (Node only) after checking, from its metadata, that it is a regular file of at most
 * `maxBytes` bytes: a directory, FIFO or device (/dev/zero) is a RangeError naming the path, never a
 * read that blocks or grows without bound (at most maxBytes + 1 bytes are read, so a file that grows
 * or a /proc file that reports size 0 stays bounded). Resolves to null when the file does not exist.
 * The loaders of nn (safetensors) and datasets (IDX) read through it.
 *
 * @example
 * await readRegularFile("model.safetensors", 2 ** 32) // Uint8Array of the file, or null if missing
 * await readRegularFile("/dev/zero", 1024)          // RangeError: /dev/zero is a device, not a regular file
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array | null> {
  if (typeof path !== "string") throw new TypeError(`path must be a string, got ${typeof path}`);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  }
  const fs = await _importNode<typeof import("node:fs/promises")>("node:fs/promises");
  let handle: Awaited<ReturnType<typeof fs.open>>;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait; the stat below rejects it anyway.
    handle = await fs.open(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new RangeError(`${path}: cannot open (${(error as Error).message})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = st.isDirectory()
        ? "a directory"
        : st.isFIFO()
          ? "a FIFO"
          : st.isCharacterDevice() || st.isBlockDevice()
            ? "a device"
            : "not a regular file";
      throw new RangeError(`${path} is ${kind}, not a regular file`);
    }
    if (st.size > maxBytes) {
      throw new RangeError(`${path} is ${st.size} bytes, more than the limit of ${maxBytes} (maxBytes)`);
    }
    // Read at most maxBytes + 1 bytes: a file that grows (or a /proc file reporting size 0) stays bounded.
    const buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(st.size, 65536)));
    let total = 0;
    for (;;) {
      if (total === buf.length) break;
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) {
      throw new RangeError(`${path} holds more than the limit of ${maxBytes} bytes (maxBytes)`);
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}
