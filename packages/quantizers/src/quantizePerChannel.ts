import type { Shape } from "@quantkit/tensor";
import { _divides, _rejectUnknownKeys, _runQuantize } from "./_engine";
import { _HALF_TO_EVEN } from "./_kernels";
import { _assertFloat32, _plan } from "./_plan";
import { allocateCodes, type CodesOf } from "./allocateCodes";
import { assertDType, DTYPES, type DType } from "./dtype";

/**
 * PyTorch's `torch.quantize_per_channel(x, scales, zero_points, axis, dtype).int_repr()` on the CPU,
 * bit for bit for the same float32 inputs: channel c along `axis` uses q = clamp(zeroPoints[c] +
 * nearbyint(float32(x * float32(1 / float32(scales[c])))), the dtype's full range). `scales` may be
 * float64 (as PyTorch's) or float32; each is rounded to float32 first, as PyTorch does. `axis` may be
 * negative. Codes come back as in `quantizePerTensor`; `options.arithmetic: "onnx"` divides as ONNX's
 * QuantizeLinear does (see there).
 *
 * @example
 * import { quantizePerChannel } from "@quantkit/quantizers";
 * // a 2x2 weight, one scale per row (axis 0)
 * quantizePerChannel(new Float32Array([0.5, -1, 0.5, -1]), [2, 2], [0.5, 0.25], [0, 0], 0, "qint8")
 * // Int8Array [1, -2, 2, -4]
 */
export function quantizePerChannel<D extends DType>(
  x: Float32Array,
  shape: Shape,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number>,
  axis: number,
  dtype: D,
  options: { arithmetic?: "pytorch" | "onnx" } = {},
): CodesOf<D> {
  _assertFloat32(x, "x");
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  _rejectUnknownKeys(options, ["arithmetic"]);
  const divide = _divides(options.arithmetic);
  assertDType(dtype);
  const { quantMin, quantMax } = DTYPES[dtype];
  const plan = _plan(
    x.length,
    shape,
    { scale: scales, zeroPoint: zeroPoints, quantMin, quantMax, qscheme: "per_channel_affine", dtype, axis },
    "x",
    "",
  );
  const codes = allocateCodes(plan.n, quantMin, quantMax, dtype);
  _runQuantize(x, codes, plan, _HALF_TO_EVEN, null, "x", divide);
  return codes as CodesOf<D>;
}
