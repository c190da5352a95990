import { _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";
import { makeOpsetId } from "./makeModel";

function _same(a: string, b: string): boolean {
  const norm = (d: string) => (d === "ai.onnx" ? "" : d);
  return norm(a) === norm(b);
}

/**
 * The opset version a model imports for a domain ("" and "ai.onnx" are the same domain), or undefined.
 *
 * @example
 * ```ts
 * import { makeGraph, makeModel, opsetVersion } from "@quantkit/onnx";
 * opsetVersion(makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } })); // 17
 * ```
 */
export function opsetVersion(model: ModelProto, domain = ""): number | undefined {
  const entry = model.opsetImport.find((o) => _same(o.domain, domain));
  return entry === undefined ? undefined : Number(entry.version);
}

/**
 * Sets the opset version imported for a domain, adding the import if missing.
 *
 * @example
 * ```ts
 * import { makeGraph, makeModel, opsetVersion, setOpsetVersion } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g" }), { opsets: { "": 17 } });
 * setOpsetVersion(model, "com.microsoft", 1);
 * opsetVersion(model, "com.microsoft"); // 1
 * ```
 */
export function setOpsetVersion(model: ModelProto, domain: string, version: number): void {
  if (!Number.isInteger(version) || version < 1) {
    throw new RangeError(
      `setOpsetVersion(${_show(domain)}): version must be an integer >= 1, got ${_show(version)}`,
    );
  }
  const entry = model.opsetImport.find((o) => _same(o.domain, domain));
  if (entry === undefined) model.opsetImport.push(makeOpsetId(domain, version));
  else entry.version = BigInt(version);
}
