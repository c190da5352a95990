import { assertOptions } from "@quantkit/tensor";
import { _convOutputSize, _im2colInto, _pair, type Size2d } from "./_convShape";
import { _assertDim, _assertLength, _describe } from "./_validate";

/** Options of {@link im2col}: one image's shape and the convolution's window. */
export interface Im2colOptions {
  channels: number;
  height: number;
  width: number;
  kernelSize: Size2d;
  /** Default 1. */
  stride?: Size2d;
  /** Default 0. */
  padding?: Size2d;
  /** Default 1. */
  dilation?: Size2d;
  /** Value of padded pixels: 0 for floats, the input zero point for quantized codes. Default 0. */
  padValue?: number;
}

/** The arrays {@link im2col} works on. */
export type Im2colArray = Uint8Array | Int8Array | Float32Array;

/**
 * Unfolds one image x [channels, height, width] into the matrix a convolution multiplies,
 * [channels kh kw, outH outW], in PyTorch's `unfold` order: row (c kh + i) kw + j, column oh outW + ow
 * holds x[c, oh stride - pad + i dilation, ow stride - pad + j dilation], or `padValue` outside the
 * image. A conv2d is then weight [outChannels, channels kh kw] times this matrix.
 *
 * Errors: a length that does not match the shape, an input smaller than the dilated kernel (RangeError).
 *
 * @example
 * im2col(new Float32Array([1, 2, 3, 4]), { channels: 1, height: 2, width: 2, kernelSize: 2, padding: 1, stride: 2 })
 * // Float32Array [0, 0, 0, 4,  0, 0, 3, 0,  0, 2, 0, 0,  1, 0, 0, 0]  ([4, 4]: 4 kernel taps x 4 outputs)
 */
export function im2col<T extends Im2colArray>(x: T, options: Im2colOptions, out?: T): T {
  assertOptions(
    options,
    ["channels", "height", "width", "kernelSize", "stride", "padding", "dilation", "padValue"],
    "im2col options",
  );
  if (!(x instanceof Uint8Array) && !(x instanceof Int8Array) && !(x instanceof Float32Array)) {
    throw new TypeError(`x must be a Uint8Array, Int8Array or Float32Array, got ${_describe(x)}`);
  }
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const { channels, height, width } = options;
  _assertDim(channels, "channels");
  _assertDim(height, "height");
  _assertDim(width, "width");
  const [kh, kw] = _pair(options.kernelSize, 1, "kernelSize");
  const [sh, sw] = _pair(options.stride, 1, "stride");
  const [ph, pw] = _pair(options.padding, 0, "padding", true);
  const [dh, dw] = _pair(options.dilation, 1, "dilation");
  const padValue = options.padValue ?? 0;
  if (typeof padValue !== "number" || Number.isNaN(padValue))
    throw new TypeError(`padValue must be a number, got ${padValue}`);
  _assertLength(
    x,
    channels * height * width,
    "x",
    `channels * height * width (${channels} * ${height} * ${width})`,
  );
  const outH = _convOutputSize(height, kh, sh, ph, dh, "height");
  const outW = _convOutputSize(width, kw, sw, pw, dw, "width");
  const size = channels * kh * kw * outH * outW;
  const y = out ?? new (x.constructor as new (n: number) => T)(size);
  if (y.constructor !== x.constructor) {
    throw new TypeError(`out must be a ${x.constructor.name} like x, got ${_describe(y)}`);
  }
  _assertLength(
    y,
    size,
    "out",
    `channels * kh * kw * outH * outW (${channels} * ${kh} * ${kw} * ${outH} * ${outW})`,
  );
  _im2colInto(x, 0, channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW, padValue, y, 0);
  return y;
}
