/**
 * The checks of the {@link Kernels} contract, one per method: every backend (the CPU kernels here,
 * @quantkit/kernels-gpu) runs them first, so a bad call gets the same error, naming the argument and
 * the bad value, whichever backend it reaches. Each returns what it resolved (defaults applied, the
 * output array allocated or checked). A backend adds only its own limits after them.
 */
import { _assertConvLayer, _assertLinearLayer, _assertRequantArrays } from "./_assertLayer";
import { _convGeometry } from "./_convGeometry";
import type { _ConvGeometry } from "./_engine";
import {
  _assertDim,
  _assertInstance,
  _assertInt8Like,
  _assertIntIn,
  _assertLength,
  _assertPositiveInt,
  _assertZeroPoint,
  _describe,
  _rangeOf,
} from "./_validate";

import type {
  Int8Like,
  MatmulF32Options,
  MatmulIntegerOptions,
  QuantizedConv2dLayer,
  QuantizedLinearLayer,
  RequantizeParams,
} from "./types";

/** What {@link checkMatmulIntegerArgs} resolves. */
export interface MatmulIntegerArgs {
  m: number;
  k: number;
  n: number;
  transB: boolean;
  aZeroPoint: number;
  /** One zero point per column of the result, or null when B's zero point is 0. */
  bZeroPoint: Int32Array | null;
  out: Int32Array;
}

/**
 * Checks the arguments of `Kernels.matmulInteger` (ONNX MatMulInteger): dimensions, array types and
 * lengths, zero points inside their array's dtype, `out`.
 *
 * @example
 * checkMatmulIntegerArgs(new Uint8Array(6), new Int8Array(6), { m: 2, k: 3, n: 2 }).out.length // 4
 * checkMatmulIntegerArgs(new Uint8Array(6), new Int8Array(6), { m: 2, k: 3, n: 3 })
 * // RangeError: b must have length k * n (3 * 3) = 9, got 6
 */
export function checkMatmulIntegerArgs(
  a: Int8Like,
  b: Int8Like,
  options: MatmulIntegerOptions,
): MatmulIntegerArgs {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object { m, k, n, aZeroPoint?, bZeroPoint?, transB?, out? }");
  }
  const { m, k, n } = options;
  _assertDim(m, "m");
  _assertDim(k, "k");
  _assertDim(n, "n");
  _assertInt8Like(a, "a");
  _assertInt8Like(b, "b");
  const transB = options.transB ?? false;
  if (typeof transB !== "boolean") throw new TypeError(`transB must be a boolean, got ${typeof transB}`);
  _assertLength(a, m * k, "a", `m * k (${m} * ${k})`);
  _assertLength(b, k * n, "b", transB ? `n * k (${n} * ${k})` : `k * n (${k} * ${n})`);
  const aZeroPoint = options.aZeroPoint ?? 0;
  _assertZeroPoint(aZeroPoint, a, "aZeroPoint");
  const bZeroPoint = columnZeroPoints(options.bZeroPoint ?? 0, b, n);
  const out = options.out ?? new Int32Array(m * n);
  _assertInstance(out, Int32Array, "Int32Array", "out");
  _assertLength(out, m * n, "out", `m * n (${m} * ${n})`);
  return { m, k, n, transB, aZeroPoint, bZeroPoint, out };
}

/** One zero point per column (null when all are 0), each checked against B's dtype. */
function columnZeroPoints(zp: number | Int32Array, b: Int8Like, n: number): Int32Array | null {
  if (typeof zp === "number") {
    _assertZeroPoint(zp, b, "bZeroPoint");
    return zp === 0 ? null : new Int32Array(n).fill(zp);
  }
  _assertInstance(zp, Int32Array, "number or an Int32Array", "bZeroPoint");
  _assertLength(zp, n, "bZeroPoint", "n (one per column)");
  const [lo, hi] = _rangeOf(b);
  for (let j = 0; j < n; j++) {
    const z = zp[j]!;
    if (z < lo || z > hi) {
      throw new RangeError(
        `bZeroPoint[${j}] must be an integer in [${lo}, ${hi}] (${lo < 0 ? "int8" : "uint8"}), got ${z}`,
      );
    }
  }
  return zp;
}

/** What {@link checkMatmulF32Args} resolves. */
export interface MatmulF32Args {
  m: number;
  k: number;
  n: number;
  transB: boolean;
  bias: Float32Array | null;
  out: Float32Array;
}

/**
 * Checks the arguments of `Kernels.matmulF32`.
 *
 * @example
 * checkMatmulF32Args(new Float32Array(4), new Float32Array(2), { m: 2, k: 2, n: 1 }).out.length // 2
 */
export function checkMatmulF32Args(
  a: Float32Array,
  b: Float32Array,
  options: MatmulF32Options,
): MatmulF32Args {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object { m, k, n, transB?, bias?, out? }");
  }
  const { m, k, n } = options;
  _assertDim(m, "m");
  _assertDim(k, "k");
  _assertDim(n, "n");
  _assertInstance(a, Float32Array, "Float32Array", "a");
  _assertInstance(b, Float32Array, "Float32Array", "b");
  const transB = options.transB ?? false;
  if (typeof transB !== "boolean") throw new TypeError(`transB must be a boolean, got ${typeof transB}`);
  _assertLength(a, m * k, "a", `m * k (${m} * ${k})`);
  _assertLength(b, k * n, "b", transB ? `n * k (${n} * ${k})` : `k * n (${k} * ${n})`);
  const bias = options.bias ?? null;
  if (bias !== null) {
    _assertInstance(bias, Float32Array, "Float32Array", "bias");
    _assertLength(bias, n, "bias", "n");
  }
  const out = options.out ?? new Float32Array(m * n);
  _assertInstance(out, Float32Array, "Float32Array", "out");
  _assertLength(out, m * n, "out", `m * n (${m} * ${n})`);
  return { m, k, n, transB, bias, out };
}

/**
 * Checks a {@link QuantizedLinearLayer}'s fields against each other (shapes, array types, uint8 zero
 * points and clamp, multipliers and shifts); `name` prefixes the field in the message.
 *
 * @example
 * assertQuantizedLinearLayer({ ...layer, bias: new Int32Array(1) }, "layers[2]")
 * // RangeError: layers[2].bias must have length the number of output channels = 10, got 1
 */
export function assertQuantizedLinearLayer(layer: QuantizedLinearLayer, name = "layer"): void {
  _assertLinearLayer(layer, name);
}

/**
 * Checks a {@link QuantizedConv2dLayer}'s fields against each other, as {@link assertQuantizedLinearLayer}.
 *
 * @example
 * assertQuantizedConv2dLayer({ ...conv, groups: 3 }) // RangeError: layer.groups (3) must divide ...
 */
export function assertQuantizedConv2dLayer(layer: QuantizedConv2dLayer, name = "layer"): void {
  _assertConvLayer(layer, name);
}

/**
 * Checks the arguments of `Kernels.quantizedLinear` and returns the output array (`out`, or a new one).
 *
 * @example
 * checkQuantizedLinearArgs(new Uint8Array(2 * layer.inFeatures), layer, 2).length // 2 * layer.outFeatures
 */
export function checkQuantizedLinearArgs(
  x: Uint8Array,
  layer: QuantizedLinearLayer,
  batch: number,
  out?: Uint8Array,
): Uint8Array {
  _assertLinearLayer(layer, "layer");
  _assertDim(batch, "batch");
  _assertInstance(x, Uint8Array, "Uint8Array", "x");
  _assertLength(x, batch * layer.inFeatures, "x", `batch * inFeatures (${batch} * ${layer.inFeatures})`);
  const y = out ?? new Uint8Array(batch * layer.outFeatures);
  _assertInstance(y, Uint8Array, "Uint8Array", "out");
  _assertLength(y, batch * layer.outFeatures, "out", `batch * outFeatures (${batch} * ${layer.outFeatures})`);
  return y;
}

/** What {@link checkQuantizedConv2dArgs} resolves: the layer's geometry with the input and output sizes. */
export interface QuantizedConv2dArgs extends _ConvGeometry {
  out: Uint8Array;
}

/**
 * Checks the arguments of `Kernels.quantizedConv2d` (an output smaller than 1x1 included) and
 * resolves the output size and array.
 *
 * @example
 * checkQuantizedConv2dArgs(new Uint8Array(28 * 28), conv3x3, { batch: 1, height: 28, width: 28 }).outH // 26
 */
export function checkQuantizedConv2dArgs(
  x: Uint8Array,
  layer: QuantizedConv2dLayer,
  input: { batch: number; height: number; width: number },
  out?: Uint8Array,
): QuantizedConv2dArgs {
  _assertConvLayer(layer, "layer");
  const g = _convGeometry(layer, input, "input");
  _assertInstance(x, Uint8Array, "Uint8Array", "x");
  _assertLength(
    x,
    g.batch * g.inChannels * g.height * g.width,
    "x",
    `batch * inChannels * height * width (${g.batch} * ${g.inChannels} * ${g.height} * ${g.width})`,
  );
  const size = g.batch * g.outChannels * g.outH * g.outW;
  const y = out ?? new Uint8Array(size);
  _assertInstance(y, Uint8Array, "Uint8Array", "out");
  _assertLength(
    y,
    size,
    "out",
    `batch * outChannels * outH * outW (${g.batch} * ${g.outChannels} * ${g.outH} * ${g.outW})`,
  );
  return { ...g, out: y };
}

/**
 * Checks the arguments of `Kernels.requantize` and returns the output array: `out`, or a new Uint8Array
 * (an Int8Array when outputMin < 0).
 *
 * @example
 * const p = { multiplier: new Int32Array([1 << 30]), shift: new Int32Array([0]), outputZeroPoint: 0,
 *   outputMin: -128, outputMax: 127, channels: 1 };
 * checkRequantizeArgs(new Int32Array(3), p) // Int8Array(3)
 */
export function checkRequantizeArgs(
  acc: Int32Array,
  params: RequantizeParams,
  out?: Uint8Array | Int8Array,
): Uint8Array | Int8Array {
  _assertInstance(acc, Int32Array, "Int32Array", "acc");
  if (typeof params !== "object" || params === null) throw new TypeError("params must be an object");
  const { multiplier, shift, outputZeroPoint, outputMin, outputMax, channels } = params;
  _assertPositiveInt(channels, "params.channels");
  if (acc.length % channels !== 0) {
    throw new RangeError(`acc length ${acc.length} is not a multiple of params.channels (${channels})`);
  }
  _assertRequantArrays(multiplier, shift, channels, "params");
  _assertIntIn(outputMin, -128, 255, "params.outputMin");
  _assertIntIn(outputMax, outputMin, 255, "params.outputMax", "outputMin..255");
  let target = out;
  if (target === undefined) target = outputMin >= 0 ? new Uint8Array(acc.length) : new Int8Array(acc.length);
  if (!(target instanceof Uint8Array) && !(target instanceof Int8Array)) {
    throw new TypeError(`out must be a Uint8Array or an Int8Array, got ${_describe(target)}`);
  }
  const [lo, hi] = target instanceof Int8Array ? [-128, 127] : [0, 255];
  if (outputMin < lo || outputMax > hi) {
    throw new RangeError(
      `[outputMin, outputMax] = [${outputMin}, ${outputMax}] must lie inside the output dtype [${lo}, ${hi}]`,
    );
  }
  _assertIntIn(outputZeroPoint, lo, hi, "params.outputZeroPoint");
  if (target.length !== acc.length) {
    throw new RangeError(`out must have the length of acc (${acc.length}), got ${target.length}`);
  }
  return target;
}
