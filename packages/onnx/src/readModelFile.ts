import { open, stat } from "node:fs/promises";
import { dirname, join, resolve as resolvePath, sep } from "node:path";
import { _checkOptions, _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import { loadExternalData } from "./externalData";
import { readModel } from "./readModel";

/** Options of {@link readModelFile}. */
export interface ReadModelFileOptions {
  /** Largest model or external data file read, in bytes; default 4 GiB. */
  maxBytes?: number;
  /** Load external data files next to the model into raw_data; default true. */
  externalData?: boolean;
}

/**
 * Reads an ONNX model file and, unless `externalData: false`, the external data files it names (each
 * relative to the model's folder and inside it). Only regular files are read, each at most `maxBytes`;
 * errors name the file and the value. Node only: `import { readModelFile } from "@quantkit/onnx/node"`.
 *
 * @example
 * ```ts
 * import { readModelFile } from "@quantkit/onnx/node";
 * const model = await readModelFile("model.onnx");
 * ```
 */
export async function readModelFile(path: string, options?: ReadModelFileOptions): Promise<ModelProto> {
  _checkOptions("readModelFile", options, ["maxBytes", "externalData"]);
  const maxBytes = options?.maxBytes ?? 4 * 2 ** 30;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`readModelFile: maxBytes must be a positive integer, got ${_show(maxBytes)}`);
  }
  const model = readModel(await _readRegularFile(path, maxBytes), { name: path });
  if (options?.externalData !== false) {
    const folder = resolvePath(dirname(path));
    await loadExternalData(model, (location) => {
      const file = resolvePath(join(folder, location));
      if (!file.startsWith(folder + sep)) {
        throw new Error(
          `external data location ${_show(location)} leaves the model's folder ${_show(folder)}`,
        );
      }
      return _readRegularFile(file, maxBytes);
    });
  }
  return model;
}

async function _readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new Error(`${_show(path)}: cannot read (${code ?? String(cause)})`, { cause });
  }
  if (!info.isFile()) throw new Error(`${_show(path)}: not a regular file`);
  if (info.size > maxBytes)
    throw new RangeError(`${_show(path)}: ${info.size} bytes is over maxBytes ${maxBytes}`);
  const handle = await open(path, "r");
  try {
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0)
        throw new Error(`${_show(path)}: file shrank while reading (${at} of ${info.size} bytes)`);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
