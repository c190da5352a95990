import { assertOptions } from "@quantkit/tensor";
import { _floatOut } from "./_engine";

/**
 * The backward pass of fake quantization with the straight-through estimator: dL/dx = dL/dy * mask,
 * i.e. the gradient passes unchanged where the code was in range and is 0 where fakeQuantize clamped
 * (PyTorch's `fake_quantize_per_tensor_affine_cachemask_backward`, computed as the product, so a NaN
 * gradient stays NaN and -g * 0 is -0 exactly as there). `mask` comes from `fakeQuantizeWithMask` or
 * `steMask`.
 *
 * @example
 * import { fakeQuantizeBackward } from "@quantkit/quantizers";
 * fakeQuantizeBackward(new Float32Array([0.5, -1, 2]), new Uint8Array([1, 0, 1])) // Float32Array [0.5, -0, 2]
 */
export function fakeQuantizeBackward(
  gradOutput: Float32Array,
  mask: Uint8Array,
  options: { out?: Float32Array } = {},
): Float32Array {
  if (!(gradOutput instanceof Float32Array)) {
    throw new TypeError(
      `gradOutput must be a Float32Array, got ${Object.prototype.toString.call(gradOutput)}`,
    );
  }
  if (!(mask instanceof Uint8Array)) {
    throw new TypeError(
      `mask must be a Uint8Array (from fakeQuantizeWithMask or steMask), got ${Object.prototype.toString.call(mask)}`,
    );
  }
  if (mask.length !== gradOutput.length) {
    throw new RangeError(`gradOutput has ${gradOutput.length} elements but mask has ${mask.length}`);
  }
  assertOptions(options, ["out"], "fakeQuantizeBackward options");
  const n = gradOutput.length;
  const out = _floatOut(n, options.out);
  for (let i = 0; i < n; i++) {
    const m = mask[i]!;
    if (m > 1) throw new RangeError(`mask[${i}] = ${m}; a straight-through mask holds only 0 and 1`);
    out[i] = gradOutput[i]! * m;
  }
  return out;
}
