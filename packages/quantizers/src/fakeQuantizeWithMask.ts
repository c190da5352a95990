import type { Shape } from "@quantkit/tensor";
import { assertOptions } from "@quantkit/tensor";
import { _floatOut, _mode, _runFakeQuantize, type RoundingOptions } from "./_engine";
import { _assertFloat32, _plan } from "./_plan";
import type { QParams } from "./qparams";

/** Options of {@link fakeQuantizeWithMask}. */
export interface FakeQuantizeWithMaskOptions extends RoundingOptions {
  /** Write the fake-quantized values here (Float32Array, length of x; may be x itself). */
  out?: Float32Array;
  /** Write the mask here (Uint8Array, length of x). */
  mask?: Uint8Array;
}

/**
 * `fakeQuantize` and its straight-through-estimator mask in one pass (QAT's forward hot path), as
 * PyTorch's `fake_quantize_per_tensor_affine_cachemask` / `_per_channel_affine_cachemask`:
 * `output` is fakeQuantize(x) and `mask[i]` is 1 where the unclamped code zeroPoint + round(x * inv)
 * lies in [quantMin, quantMax], else 0. The boundary is measured on the rounded code, not on x: an x up
 * to half a step beyond the last code still rounds onto it and gets gradient 1. Feed `mask` to
 * `fakeQuantizeBackward` in the backward pass.
 *
 * @example
 * import { calculateQParams, fakeQuantizeWithMask } from "@quantkit/quantizers";
 * const qparams = calculateQParams(-1, 2); // scale 3/255: codes cover [-1, 2]
 * const { output, mask } = fakeQuantizeWithMask(new Float32Array([0.5, 2.005, 3]), [3], qparams);
 * // output: [0.49411..., 2, 2]; mask: [1, 1, 0] (2.005 rounds onto the last code 255, 3 does not)
 */
export function fakeQuantizeWithMask(
  x: Float32Array,
  shape: Shape,
  qparams: QParams,
  options: FakeQuantizeWithMaskOptions = {},
): { output: Float32Array; mask: Uint8Array } {
  _assertFloat32(x, "x");
  const plan = _plan(x.length, shape, qparams, "x");
  assertOptions(options, ["rounding", "rng", "out", "mask"], "fakeQuantizeWithMask options");
  const { mode, rng } = _mode(options);
  const output = _floatOut(plan.n, options.out);
  let mask = options.mask;
  if (mask === undefined) mask = new Uint8Array(plan.n);
  else if (!(mask instanceof Uint8Array) || mask.length !== plan.n) {
    throw new TypeError(
      `options.mask must be a Uint8Array of length ${plan.n}, got ${Object.prototype.toString.call(mask)}`,
    );
  }
  _runFakeQuantize(x, output, mask, plan, mode, rng, "x");
  return { output, mask };
}
