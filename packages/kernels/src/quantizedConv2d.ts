import { _defaultEngine } from "./_defaultEngine";
import type { _Engine } from "./_engine";
import { checkQuantizedConv2dArgs } from "./checkKernelArgs";
import type { QuantizedConv2dLayer } from "./types";

/**
 * Integer-only quantized 2-D convolution: uint8 NCHW x [batch, inChannels, height, width] -> uint8
 * NCHW [batch, outChannels, outH, outW], with stride, zero padding (padded pixels are the input zero
 * point), dilation and groups. Each image goes through im2col ([C kh kw, outH outW], PyTorch's unfold
 * order), then per group the integer GEMM W_g [outChannels / groups, C / groups kh kw] x col_g, then
 * requantization per output channel. outH = floor((H + 2 pad - dilation (k - 1) - 1) / stride) + 1.
 *
 * Errors: x of the wrong length, an input smaller than the dilated kernel, a malformed layer (RangeError).
 *
 * @example
 * const layer = prepareQuantizedConv2d({
 *   weight: new Int8Array([1, 1, 1, 1]), inChannels: 1, outChannels: 1, kernelSize: 2,
 *   weightScale: 1, inputScale: 1, inputZeroPoint: 0, outputScale: 1, outputZeroPoint: 0,
 * });
 * quantizedConv2d(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), layer, { batch: 1, height: 3, width: 3 })
 * // Uint8Array [12, 16, 24, 28]: each 2 x 2 window summed
 */
export function quantizedConv2d(
  x: Uint8Array,
  layer: QuantizedConv2dLayer,
  input: { batch: number; height: number; width: number },
  out?: Uint8Array,
): Uint8Array {
  return _quantizedConv2d(_defaultEngine(), x, layer, input, out);
}

/** {@link quantizedConv2d} on a given engine. */
export function _quantizedConv2d(
  engine: _Engine,
  x: Uint8Array,
  layer: QuantizedConv2dLayer,
  input: { batch: number; height: number; width: number },
  out?: Uint8Array,
): Uint8Array {
  const { out: y, ...g } = checkQuantizedConv2dArgs(x, layer, input, out);
  if (y.length > 0) engine.quantizedConv2d(x, layer, g, y);
  return y;
}
