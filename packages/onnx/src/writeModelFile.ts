import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { _checkOptions, _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import { externalizeData } from "./externalData";
import { writeModel } from "./writeModel";

/** Options of {@link writeModelFile}. */
export interface WriteModelFileOptions {
  /**
   * Store large tensors in one external data file next to the model (ONNX's external data):
   * `true` names it `<model file>.data`; `minBytes` as externalizeData. Changes `model` in place.
   */
  externalData?: boolean | { location?: string; minBytes?: number };
}

/**
 * Writes a model to a file atomically: into a temporary file in the same folder, then renamed over the
 * target, so a reader never sees half a model and a failure leaves no partial file. With
 * `externalData`, the data file is written (atomically) first. Returns the bytes written.
 * Node only: `import { writeModelFile } from "@quantkit/onnx/node"`.
 *
 * @example
 * ```ts
 * import { readModelFile, writeModelFile } from "@quantkit/onnx/node";
 * await writeModelFile("copy.onnx", await readModelFile("model.onnx"));
 * ```
 */
export async function writeModelFile(
  path: string,
  model: ModelProto,
  options?: WriteModelFileOptions,
): Promise<number> {
  _checkOptions("writeModelFile", options, ["externalData"]);
  let written = 0;
  const ext = options?.externalData;
  if (ext !== undefined && ext !== false) {
    const settings = ext === true ? {} : ext;
    _checkOptions("writeModelFile externalData", settings, ["location", "minBytes"]);
    const location = settings.location ?? `${basename(path)}.data`;
    const blob = externalizeData(model, {
      location,
      ...(settings.minBytes === undefined ? {} : { minBytes: settings.minBytes }),
    });
    written += await _atomicWrite(join(dirname(path), location), blob);
  }
  written += await _atomicWrite(path, writeModel(model));
  return written;
}

async function _atomicWrite(path: string, bytes: Uint8Array): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: "wx" });
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new Error(`writeModelFile: cannot write ${_show(path)}: ${(cause as Error).message}`, { cause });
  }
  return bytes.length;
}
