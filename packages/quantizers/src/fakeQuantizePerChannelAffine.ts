import type { Shape } from "@quantkit/tensor";
import { _runFakeQuantize } from "./_engine";
import { _HALF_TO_EVEN } from "./_kernels";
import { _assertFloat32, _plan } from "./_plan";

/**
 * PyTorch's `torch.fake_quantize_per_channel_affine(x, scale, zero_point, axis, quant_min, quant_max)`
 * on the CPU, bit for bit for the same float32 inputs (integer zero points): channel c along `axis`
 * gives y = float32((clamp(zeroPoint[c] + nearbyint(float32(x * inv[c])), quantMin, quantMax) -
 * zeroPoint[c]) * scale[c]) with inv[c] = float32(1 / float32(scale[c])), ties to even. Ranges as in
 * `fakeQuantizePerTensorAffine`.
 *
 * @example
 * import { fakeQuantizePerChannelAffine } from "@quantkit/quantizers";
 * fakeQuantizePerChannelAffine(new Float32Array([0.3, 0.3, 9, 9]), [2, 2], [0.5, 0.25], [0, 0], 1, -8, 7)
 * // Float32Array [0.5, 0.25, 3.5, 1.75]
 */
export function fakeQuantizePerChannelAffine(
  x: Float32Array,
  shape: Shape,
  scale: ArrayLike<number>,
  zeroPoint: ArrayLike<number>,
  axis: number,
  quantMin: number,
  quantMax: number,
): Float32Array {
  _assertFloat32(x, "x");
  const plan = _plan(
    x.length,
    shape,
    { scale, zeroPoint, quantMin, quantMax, qscheme: "per_channel_affine", dtype: "qint32", axis },
    "x",
    "",
  );
  const out = new Float32Array(plan.n);
  _runFakeQuantize(x, out, null, plan, _HALF_TO_EVEN, null, "x");
  return out;
}
