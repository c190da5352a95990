import type { QParams } from "@quantkit/quantizers";
import type { ActivationQParams } from "./integerLayers";

/** Activation qparams as @quantkit/quantizers' QParams (quint8 per_tensor_affine). */
export function _toQParams(a: ActivationQParams): QParams {
  return {
    scale: Float32Array.of(a.scale),
    zeroPoint: Int32Array.of(a.zeroPoint),
    quantMin: a.quantMin,
    quantMax: a.quantMax,
    qscheme: "per_tensor_affine",
    dtype: "quint8",
  };
}

/** Per-tensor uint8 qparams from an observer's QParams; RangeError naming `where` when they do not fit. */
export function _activationFrom(q: QParams, where: string): ActivationQParams {
  if (q.scale.length !== 1 || q.zeroPoint.length !== 1) {
    throw new RangeError(`${where}: activation qparams must be per tensor, got ${q.scale.length} scales`);
  }
  const a: ActivationQParams = {
    scale: q.scale[0]!,
    zeroPoint: q.zeroPoint[0]!,
    quantMin: q.quantMin,
    quantMax: q.quantMax,
  };
  _checkActivation(a, where);
  return a;
}

/** Checks activation qparams: scale positive finite float32, 0 <= quantMin <= zeroPoint <= quantMax <= 255. */
export function _checkActivation(a: ActivationQParams, where: string): void {
  if (!(a.scale > 0) || !Number.isFinite(a.scale) || Math.fround(a.scale) !== a.scale) {
    throw new RangeError(`${where}: activation scale must be a positive finite float32, got ${a.scale}`);
  }
  for (const [k, v] of [
    ["quantMin", a.quantMin],
    ["quantMax", a.quantMax],
    ["zeroPoint", a.zeroPoint],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 255)
      throw new RangeError(`${where}: activation ${k} must be an integer in 0..255, got ${v}`);
  }
  if (a.quantMin >= a.quantMax)
    throw new RangeError(`${where}: activation quantMin ${a.quantMin} must be below quantMax ${a.quantMax}`);
  if (a.zeroPoint < a.quantMin || a.zeroPoint > a.quantMax) {
    throw new RangeError(
      `${where}: activation zeroPoint ${a.zeroPoint} must lie in [${a.quantMin}, ${a.quantMax}]`,
    );
  }
}
