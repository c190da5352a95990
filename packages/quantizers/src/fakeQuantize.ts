import type { Shape } from "@quantkit/tensor";
import { assertOptions } from "@quantkit/tensor";
import { _floatOut, _mode, _runFakeQuantize, type RoundingOptions } from "./_engine";
import { _assertFloat32, _plan } from "./_plan";
import type { QParams } from "./qparams";

/** Options of {@link fakeQuantize}. */
export interface FakeQuantizeOptions extends RoundingOptions {
  /** Write the result here instead of a new Float32Array (length of x; may be x itself). */
  out?: Float32Array;
}

/**
 * Quantize then dequantize in one pass, staying in float32: y = float32((clamp(zeroPoint + round(
 * float32(x * inv)), quantMin, quantMax) - zeroPoint) * scale), the "fake quantization" that QAT inserts
 * in the forward pass. Per tensor, per channel or per group as `qparams` says. With the default rounding
 * it equals `dequantize(quantize(x))` and PyTorch's `fake_quantize_per_tensor_affine` /
 * `fake_quantize_per_channel_affine` bit for bit (both multiply by the float32 inverse scale). Same
 * errors as `quantize`. Its gradient is `fakeQuantizeBackward` with the mask of `fakeQuantizeWithMask`.
 *
 * @example
 * import { calculateQParams, fakeQuantize } from "@quantkit/quantizers";
 * const qparams = calculateQParams(-1, 2);
 * fakeQuantize(new Float32Array([0.5, 3]), [2], qparams) // Float32Array [0.49411..., 2] (code 127; 3 clamps to code 255 = 2)
 */
export function fakeQuantize(
  x: Float32Array,
  shape: Shape,
  qparams: QParams,
  options: FakeQuantizeOptions = {},
): Float32Array {
  _assertFloat32(x, "x");
  const plan = _plan(x.length, shape, qparams, "x");
  assertOptions(options, ["rounding", "rng", "out"], "fakeQuantize options");
  const { mode, rng } = _mode(options);
  const out = _floatOut(plan.n, options.out);
  _runFakeQuantize(x, out, null, plan, mode, rng, "x");
  return out;
}
