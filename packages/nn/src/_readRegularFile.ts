import { _importNode } from "./_importNode";

/** The default largest file `loadSafetensors` reads: 4 GiB. */
export const _MAX_FILE_BYTES = 2 ** 32;

/**
 * Reads a file only after checking, from its metadata, that it is a regular file of at most `maxBytes`
 * bytes: a directory, FIFO or device (/dev/zero) is an error naming the path, never a read that blocks
 * or grows without bound. Returns null when the file does not exist.
 */
export async function _readRegularFile(path: string, maxBytes: number): Promise<Uint8Array | null> {
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
