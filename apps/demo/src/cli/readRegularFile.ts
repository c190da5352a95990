import { open } from "node:fs/promises";

/** The largest input file the CLI reads: 2 GiB. */
export const MAX_INPUT_BYTES = 2 ** 31;

/**
 * Reads a file the user named, after checking from its metadata that it is a regular file of at most
 * `maxBytes`: a directory, a FIFO or a device (/dev/zero) is an error naming the path at once, never a
 * read that blocks or fills memory. At most `maxBytes + 1` bytes are ever read.
 */
export async function readRegularFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK (2048 on Linux): opening a FIFO without a writer must not wait.
    handle = await open(path, 0 | 2048);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RangeError(`${path}: ${code === "ENOENT" ? "no such file" : `cannot open (${code})`}`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = st.isDirectory() ? "a directory" : st.isFIFO() ? "a FIFO" : "a device or special file";
      throw new RangeError(`${path} is ${kind}, not a regular file`);
    }
    if (st.size > maxBytes)
      throw new RangeError(`${path} is ${st.size} bytes, more than the limit of ${maxBytes}`);
    const buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(st.size, 65536)));
    let total = 0;
    while (total < buf.length) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw new RangeError(`${path} holds more than the limit of ${maxBytes} bytes`);
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}
