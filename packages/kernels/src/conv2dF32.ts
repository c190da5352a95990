import { assertOptions } from "@quantkit/tensor";
import { _convGeometry } from "./_convGeometry";
import {
  _assertConvWeightLength,
  _CONV_SHAPE_KEYS,
  _convLayerShape,
  type Conv2dShapeOptions,
} from "./_convShape";
import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { _assertInstance, _assertLength } from "./_validate";

/** Options of {@link conv2dF32}: the input and weight shapes, the convolution's hyper-parameters. */
export interface Conv2dF32Options extends Conv2dShapeOptions {
  batch: number;
  height: number;
  width: number;
  /** Optional bias [outChannels]. */
  bias?: Float32Array | null;
  out?: Float32Array;
}

/**
 * fp32 2-D convolution (NCHW input, OIHW weight [outChannels, inChannels / groups, kh, kw]), the
 * baseline of {@link quantizedConv2d}: the same im2col and the same blocked GEMM structure, in float32
 * (products and sums rounded to float32 in reduction order, bias last; WebAssembly and JS give the
 * same bits).
 *
 * Errors: lengths that do not match the shapes, groups that do not divide the channels, an input
 * smaller than the dilated kernel (RangeError); wrong array types (TypeError).
 *
 * @example
 * const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]); // [1, 1, 3, 3]
 * conv2dF32(x, new Float32Array([1, 0, 0, -1]), {
 *   batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernelSize: 2,
 * }) // Float32Array [-4, -4, -4, -4]
 */
export function conv2dF32(x: Float32Array, weight: Float32Array, options: Conv2dF32Options): Float32Array {
  assertOptions(
    options,
    ["batch", "height", "width", ..._CONV_SHAPE_KEYS, "bias", "out"],
    "conv2dF32 options",
  );
  return _conv2dF32(_defaultEngine(), x, weight, options);
}

/** {@link conv2dF32} on a given engine. */
export function _conv2dF32(
  engine: _Engine,
  x: Float32Array,
  weight: Float32Array,
  options: Conv2dF32Options,
): Float32Array {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const shape = _convLayerShape(options);
  const { inChannels, outChannels } = shape;
  const g = _convGeometry(shape, options, "options");
  _assertInstance(x, Float32Array, "Float32Array", "x");
  _assertLength(
    x,
    g.batch * inChannels * g.height * g.width,
    "x",
    `batch * inChannels * height * width (${g.batch} * ${inChannels} * ${g.height} * ${g.width})`,
  );
  _assertInstance(weight, Float32Array, "Float32Array", "weight");
  _assertConvWeightLength(weight, shape);
  const bias = options.bias ?? null;
  if (bias !== null) {
    _assertInstance(bias, Float32Array, "Float32Array", "bias");
    _assertLength(bias, outChannels, "bias", "outChannels");
  }
  const size = g.batch * outChannels * g.outH * g.outW;
  const out = options.out ?? new Float32Array(size);
  _assertInstance(out, Float32Array, "Float32Array", "out");
  _assertLength(
    out,
    size,
    "out",
    `batch * outChannels * outH * outW (${g.batch} * ${outChannels} * ${g.outH} * ${g.outW})`,
  );
  if (size > 0) engine.conv2dF32(x, weight, bias, g, out);
  return out;
}
