import type { Shape } from "@quantkit/tensor";
import { assertOptions } from "@quantkit/tensor";
import { _mode, _runFakeQuantize, type RoundingOptions } from "./_engine";
import { _assertFloat32, _plan } from "./_plan";
import type { QParams } from "./qparams";

/**
 * The straight-through estimator's mask: d fakeQuantize(x) / dx, 1 where the unclamped code
 * zeroPoint + round(float32(x * inv)) lies in [quantMin, quantMax] and 0 where fakeQuantize clamps
 * (PyTorch's cachemask rule: the boundary is measured on the rounded code, not on x). Use
 * `fakeQuantizeWithMask` to get it together with the forward values (and always with "stochastic"
 * rounding, whose mask depends on the random draws).
 *
 * @example
 * import { calculateQParams, steMask } from "@quantkit/quantizers";
 * steMask(new Float32Array([-2, 0, 1.9, 2.005, 3]), [5], calculateQParams(-1, 2)) // Uint8Array [0, 1, 1, 1, 0]
 */
export function steMask(
  x: Float32Array,
  shape: Shape,
  qparams: QParams,
  options: RoundingOptions = {},
): Uint8Array {
  _assertFloat32(x, "x");
  const plan = _plan(x.length, shape, qparams, "x");
  assertOptions(options, ["rounding", "rng"], "steMask options");
  const { mode, rng } = _mode(options);
  const mask = new Uint8Array(plan.n);
  _runFakeQuantize(x, null, mask, plan, mode, rng, "x");
  return mask;
}
