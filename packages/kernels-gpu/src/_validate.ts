import { _MAX_K } from "./_blockPlan";
import type { QuantizedConv2dLayer, QuantizedLinearLayer } from "./_contract";

/**
 * Largest flat array a kernel reads or writes: indices are computed in float32 and divided by
 * dimensions with a one-step correction, which is exact below 2^23.
 */
export const _MAX_ELEMENTS = 2 ** 23;

/** Throws a TypeError unless `value` is a number, a RangeError unless it is an integer in [min, max]. */
export function _checkInt(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Throws unless `value` is a positive integer up to `max` (a size that may not be 0). */
export function _checkDim(name: string, value: unknown, max = _MAX_ELEMENTS): asserts value is number {
  _checkInt(name, value, 1, max);
}

/** Throws unless `value` is a non-negative integer up to `max` (a size that may be 0). */
export function _checkSize(name: string, value: unknown, max = _MAX_ELEMENTS): asserts value is number {
  _checkInt(name, value, 0, max);
}

/** Throws a TypeError unless `value` is a boolean or undefined; returns it, false when undefined. */
export function _checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** Throws a TypeError unless `value` is an Int8Array or a Uint8Array. */
export function _checkInt8Like(name: string, value: unknown): asserts value is Int8Array | Uint8Array {
  if (!(value instanceof Int8Array) && !(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be an Int8Array or a Uint8Array, got ${describe(value)}`);
  }
}

/** Throws a TypeError unless `value` is an instance of `ctor`. */
export function _checkType<T>(
  name: string,
  value: unknown,
  ctor: abstract new (...args: never[]) => T,
): asserts value is T {
  if (!(value instanceof ctor)) {
    throw new TypeError(`${name} must be a ${ctor.name}, got ${describe(value)}`);
  }
}

/** Throws a RangeError unless `array.length === expected`. */
export function _checkLength(name: string, array: ArrayLike<unknown>, expected: number, what: string): void {
  if (array.length !== expected) {
    throw new RangeError(`${name} must have length ${expected} (${what}), got ${array.length}`);
  }
}

/** The code range of an 8-bit array's dtype. */
export function _rangeOf(values: Int8Array | Uint8Array): [number, number] {
  return values instanceof Int8Array ? [-128, 127] : [0, 255];
}

/** Checks a reduction length (0 allowed) against what the exact kernels support (2^18). */
export function _checkK(name: string, k: unknown): asserts k is number {
  _checkInt(name, k, 0, _MAX_K);
}

/**
 * Checks fixed-point requantization parameters: `multiplier` and `shift` Int32Arrays of length 1
 * or `channels`, shift in [-31, 30] (as @quantkit/kernels), and the output zero point and clamp as
 * integers in `codes`.
 */
export function _checkRequant(
  where: string,
  p: {
    multiplier: unknown;
    shift: unknown;
    outputZeroPoint: unknown;
    outputMin: unknown;
    outputMax: unknown;
  },
  channels: number,
  codes: [number, number],
): void {
  _checkType(`${where}.multiplier`, p.multiplier, Int32Array);
  _checkType(`${where}.shift`, p.shift, Int32Array);
  const m = p.multiplier as Int32Array;
  const s = p.shift as Int32Array;
  if (m.length !== 1 && m.length !== channels) {
    throw new RangeError(`${where}.multiplier must have length 1 or ${channels}, got ${m.length}`);
  }
  if (s.length !== m.length) {
    throw new RangeError(`${where}.shift must have the length of multiplier (${m.length}), got ${s.length}`);
  }
  for (let c = 0; c < s.length; c++) {
    const v = s[c]!;
    if (v < -31 || v > 30)
      throw new RangeError(`${where}.shift[${c}] must be an integer in [-31, 30], got ${v}`);
  }
  _checkInt(`${where}.outputMin`, p.outputMin, codes[0], codes[1]);
  _checkInt(`${where}.outputMax`, p.outputMax, p.outputMin as number, codes[1]);
  _checkInt(`${where}.outputZeroPoint`, p.outputZeroPoint, codes[0], codes[1]);
}

/** Checks a {@link QuantizedLinearLayer}. */
export function _checkLinearLayer(where: string, layer: QuantizedLinearLayer): void {
  if (layer === null || typeof layer !== "object")
    throw new TypeError(`${where} must be a QuantizedLinearLayer`);
  _checkDim(`${where}.inFeatures`, layer.inFeatures, _MAX_K);
  _checkDim(`${where}.outFeatures`, layer.outFeatures);
  _checkType(`${where}.weight`, layer.weight, Int8Array);
  _checkLength(
    `${where}.weight`,
    layer.weight,
    layer.outFeatures * layer.inFeatures,
    "outFeatures * inFeatures",
  );
  _checkType(`${where}.bias`, layer.bias, Int32Array);
  _checkLength(`${where}.bias`, layer.bias, layer.outFeatures, "outFeatures");
  _checkInt(`${where}.inputZeroPoint`, layer.inputZeroPoint, 0, 255);
  _checkRequant(where, layer, layer.outFeatures, [0, 255]);
}

/** Checks a {@link QuantizedConv2dLayer}. */
export function _checkConvLayer(where: string, layer: QuantizedConv2dLayer): void {
  if (layer === null || typeof layer !== "object")
    throw new TypeError(`${where} must be a QuantizedConv2dLayer`);
  _checkDim(`${where}.groups`, layer.groups);
  _checkDim(`${where}.inChannels`, layer.inChannels);
  _checkDim(`${where}.outChannels`, layer.outChannels);
  if (layer.inChannels % layer.groups !== 0 || layer.outChannels % layer.groups !== 0) {
    throw new RangeError(
      `${where}.groups (${layer.groups}) must divide inChannels (${layer.inChannels}) and outChannels (${layer.outChannels})`,
    );
  }
  for (const f of ["kernelH", "kernelW", "strideH", "strideW", "dilationH", "dilationW"] as const) {
    _checkDim(`${where}.${f}`, layer[f], 2 ** 16);
  }
  _checkInt(`${where}.padH`, layer.padH, 0, 2 ** 16);
  _checkInt(`${where}.padW`, layer.padW, 0, 2 ** 16);
  // A kernel row (kernelW products of at most 255 * 128) must fit one exact block.
  _checkInt(`${where}.kernelW`, layer.kernelW, 1, 514);
  _checkK(
    `${where} reduction (inChannels / groups * kernelH * kernelW)`,
    (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW,
  );
  _checkType(`${where}.weight`, layer.weight, Int8Array);
  _checkLength(
    `${where}.weight`,
    layer.weight,
    layer.outChannels * (layer.inChannels / layer.groups) * layer.kernelH * layer.kernelW,
    "outChannels * inChannels / groups * kernelH * kernelW",
  );
  _checkType(`${where}.bias`, layer.bias, Int32Array);
  _checkLength(`${where}.bias`, layer.bias, layer.outChannels, "outChannels");
  _checkInt(`${where}.inputZeroPoint`, layer.inputZeroPoint, 0, 255);
  _checkRequant(where, layer, layer.outChannels, [0, 255]);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
