import { _show } from "./_errors";
import type { ModelProto } from "./_gen/onnx_pb";

/** The newest IR version this package reads and writes (ONNX's `Version.IR_VERSION`). */
export const IR_VERSION = 14;

// Default ai.onnx opset -> IR version of the ONNX release that introduced it (onnx.helper's table).
const _OPSET_IR: ReadonlyArray<readonly [number, number]> = [
  [8, 3],
  [9, 4],
  [10, 5],
  [11, 6],
  [14, 7],
  [18, 8],
  [20, 9],
  [22, 10],
  [23, 11],
  [24, 12],
  [28, 13],
];

/**
 * The IR version of the ONNX release that introduced an `ai.onnx` opset (opset 17 -> IR 8,
 * opset 21 -> IR 10); opsets past the table map to {@link IR_VERSION}.
 *
 * @example
 * ```ts
 * import { irVersionForOpset } from "@quantkit/onnx";
 * irVersionForOpset(17); // 8
 * ```
 */
export function irVersionForOpset(opset: number): number {
  if (!Number.isInteger(opset) || opset < 1) {
    throw new RangeError(`irVersionForOpset: opset must be an integer >= 1, got ${_show(opset)}`);
  }
  for (const [maxOpset, ir] of _OPSET_IR) if (opset <= maxOpset) return ir;
  return IR_VERSION;
}

/**
 * Raises `model.ir_version` to at least `version` (never lowers it); returns the version now set.
 * Quantizers call it before writing types a lower IR lacks (int4 needs 10).
 *
 * @example
 * ```ts
 * import { ensureIrVersion, makeGraph, makeModel } from "@quantkit/onnx";
 * const model = makeModel(makeGraph({ name: "g" }), { irVersion: 8 });
 * ensureIrVersion(model, 10); // 10
 * ```
 */
export function ensureIrVersion(model: ModelProto, version: number): number {
  if (!Number.isInteger(version) || version < 1 || version > IR_VERSION) {
    throw new RangeError(
      `ensureIrVersion: version must be an integer in 1..${IR_VERSION}, got ${_show(version)}`,
    );
  }
  if (model.irVersion < BigInt(version)) model.irVersion = BigInt(version);
  return Number(model.irVersion);
}
