import type { Shape } from "@quantkit/tensor";
import {
  _codesOut,
  _divides,
  _mode,
  _rejectUnknownKeys,
  _runQuantize,
  type RoundingOptions,
} from "./_engine";
import { _assertFloat32, _plan } from "./_plan";
import type { QuantizedArray } from "./allocateCodes";
import type { QParams } from "./qparams";

/** Options of {@link quantize}. */
export interface QuantizeOptions extends RoundingOptions {
  /** Write the codes here instead of a new array (the type `allocateCodes` gives, length of x). */
  out?: QuantizedArray;
  /**
   * `"pytorch"` (default): q = zeroPoint + round(float32(x * float32(1 / scale))), PyTorch's CPU kernels.
   * `"onnx"`: q = zeroPoint + round(float32(x / scale)), ONNX's QuantizeLinear (its reference and
   * onnxruntime), with the zero point added as an exact integer. The two differ only near ties: where the
   * two float32 results fall on different sides of a half-integer, or one of them on it.
   */
  arithmetic?: "pytorch" | "onnx";
}

const QUANTIZE_KEYS = ["rounding", "rng", "out", "arithmetic"] as const;

/**
 * Quantizes a float32 tensor: q = clamp(zeroPoint + round(float32(x * float32(1 / scale))), quantMin,
 * quantMax), per tensor, per channel (`qparams.axis`) or per group (`qparams.groupSize`), see `QParams`.
 *
 * With the default rounding ("half_to_even") this is PyTorch's CPU `quantize_per_tensor` /
 * `quantize_per_channel` bit for bit: PyTorch multiplies by the float32 reciprocal of the scale
 * (fbgemm's `Quantize` with LEGACY=false, aten's `quantize_val` and its ARM kernels all compute
 * `nearbyint(x * inv_scale)` and then add the zero point), not x / scale; the two differ at ties, e.g.
 * scale = float32(0.00214854861), x = float32(0.273939937): x * inv is exactly 127.5 -> 128, x / scale is
 * 127.49999 -> 127. "half_away_from_zero" and "stochastic" (with `options.rng`) round the same float32
 * product differently. `options.arithmetic: "onnx"` divides instead, as ONNX's QuantizeLinear does, so
 * that codes written into an ONNX model equal what onnxruntime computes from the same float32 inputs.
 *
 * Codes come back in the natural typed array for [quantMin, quantMax] (`allocateCodes`): Uint8Array,
 * Int8Array, Uint16Array, Int16Array, or Int32Array for qint32. Errors: x not a Float32Array, NaN or
 * ±Infinity in x (naming the first bad index), empty x, a shape that does not match, bad qparams (see
 * `validateQParams`). A finite x whose x * inv overflows float32 is clamped, as PyTorch does.
 *
 * @example
 * import { calculateQParams, quantize } from "@quantkit/quantizers";
 * const qparams = calculateQParams(-1, 2); // quint8: scale 3/255, zeroPoint 85
 * quantize(new Float32Array([-1, 0, 0.5, 2]), [4], qparams) // Uint8Array [0, 85, 127, 255] (0.5 / scale = 42.5: ties to even)
 * quantize(new Float32Array([-1, 0, 0.5, 2]), [4], qparams, { arithmetic: "onnx" }) // the same codes (no tie differs here)
 */
export function quantize(
  x: Float32Array,
  shape: Shape,
  qparams: QParams,
  options: QuantizeOptions = {},
): QuantizedArray {
  _assertFloat32(x, "x");
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  _rejectUnknownKeys(options, QUANTIZE_KEYS, "quantize options");
  const divide = _divides(options.arithmetic);
  const plan = _plan(x.length, shape, qparams, "x");
  const { mode, rng } = _mode(options);
  const codes = _codesOut(plan, qparams.dtype, options.out);
  _runQuantize(x, codes, plan, mode, rng, "x", divide);
  return codes;
}
