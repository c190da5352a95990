import { _runFakeQuantize } from "./_engine";
import { _HALF_TO_EVEN } from "./_kernels";
import { _assertFloat32, _plan } from "./_plan";

/**
 * PyTorch's `torch.fake_quantize_per_tensor_affine(x, scale, zero_point, quant_min, quant_max)` on the
 * CPU, bit for bit for the same float32 inputs: y = float32((clamp(zeroPoint + nearbyint(float32(x *
 * inv)), quantMin, quantMax) - zeroPoint) * scale) with inv = float32(1 / float32(scale)), ties to even.
 * `quantMin < quantMax` may be any int32 range containing `zeroPoint` (fake quant of 32-bit values
 * included); past 2^16 the float32 roundings of PyTorch's kernel are mirrored step by step.
 *
 * @example
 * import { fakeQuantizePerTensorAffine } from "@quantkit/quantizers";
 * fakeQuantizePerTensorAffine(new Float32Array([0.3, 0.74, 9]), 0.5, 0, -8, 7)
 * // Float32Array [0.5, 0.5, 3.5]
 */
export function fakeQuantizePerTensorAffine(
  x: Float32Array,
  scale: number,
  zeroPoint: number,
  quantMin: number,
  quantMax: number,
): Float32Array {
  _assertFloat32(x, "x");
  if (typeof scale !== "number") throw new TypeError(`scale must be a number, got ${typeof scale}`);
  if (typeof zeroPoint !== "number")
    throw new TypeError(`zeroPoint must be a number, got ${typeof zeroPoint}`);
  const plan = _plan(
    x.length,
    [x.length],
    // dtype "qint32" only lets the range be as wide as int32 here; it chooses nothing else.
    {
      scale: [scale],
      zeroPoint: [zeroPoint],
      quantMin,
      quantMax,
      qscheme: "per_tensor_affine",
      dtype: "qint32",
    },
    "x",
    "",
  );
  const out = new Float32Array(plan.n);
  _runFakeQuantize(x, out, null, plan, _HALF_TO_EVEN, null, "x");
  return out;
}
